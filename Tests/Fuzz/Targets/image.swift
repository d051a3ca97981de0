import ESPProtocol

/// Image parser: the whole firmware check (ESP image, ESP32 detection, MicroPython layout and
/// trailer, banner) and the header patch take any bytes without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImage(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    _ = try? ESPImage(parsing: bytes)
    let verdict = FirmwareCheck(flashSize: 1 << 20).check(bytes: bytes, path: "fuzz.bin")
    _ = verdict.errors.map(\.description)
    _ = verdict.warnings.map(\.description)
    _ = FirmwareBanner.find(in: bytes)
    let patched = HeaderPatch(mode: .dout, size: .mb1).apply(to: bytes)
    fuzzCheck(patched.bytes.count == bytes.count, "a header patch changed the file length")
    return 0
}
