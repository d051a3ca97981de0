import Foundation

/// REPL output parsers: `esp.check_fw()` output and the MicroPython banner, from any text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzREPL(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    if let check = CheckFirmwareOutput.parse(text) { _ = check.lines.count }
    if let banner = MicroPythonBanner.find(in: text) { _ = banner.version }
    return 0
}
