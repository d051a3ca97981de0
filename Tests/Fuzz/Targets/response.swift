import ESPProtocol

/// Response parser: any frame decodes or throws; a decoded response re-encodes to the same bytes
/// and its status reads for both loaders without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResponse(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    guard let response = try? ResponsePacket.decode(bytes) else { return 0 }
    for length in [0, 4, 16, Int(bytes.first ?? 0)] {
        if let status = response.status(payloadLength: length) {
            _ = status.failure(from: .rom)
            _ = status.failure(from: .stub)
            _ = response.payload(length: length)
        }
    }
    let again = try? ResponsePacket.decode(response.encoded())
    fuzzCheck(again == response, "re-encoded response decoded differently")
    return 0
}
