import Foundation

/// Boot-log decoder and hand-over reader: any text (as read from the port at 74880 baud) decodes without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBootLog(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    let verdict = BootLogDecoder.decode(text)
    _ = verdict.summary
    _ = verdict.problemID
    _ = BootLogHandOver.find(in: text)
    return 0
}
