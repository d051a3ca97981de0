import ESPProtocol

/// What MicroPython's `esp.check_fw()` prints and returns for a given flash content.
public struct CheckFirmwareReport: Equatable, Sendable {
    /// The size word read from flash offset 0x8FFC.
    public var sizeWord: UInt32
    /// The MD5 (lowercase hex) over flash [4, size), or nil when the size was rejected.
    public var md5Hex: String?
    /// The function's return value.
    public var result: Bool

    /// The printed lines without line endings: `size: N`, then `md5: …` or `Invalid size`.
    public var printedLines: [String] {
        // MicroPython prints the word with %d (signed).
        var lines = ["size: \(Int32(bitPattern: sizeWord))"]
        if let md5Hex { lines.append("md5: \(md5Hex)") } else { lines.append("Invalid size") }
        return lines
    }

    /// What the REPL shows: the printed lines and then the repr of the result, joined with CRLF.
    public var replOutput: String {
        (printedLines + [result ? "True" : "False"]).joined(separator: "\r\n") + "\r\n"
    }

    /// Computes the report for `flash` (flash content from offset 0; bytes past its end read as 0xFF, like erased flash).
    public init(flash: [UInt8]) {
        func byte(_ offset: Int) -> UInt8 { offset < flash.count ? flash[offset] : 0xFF }
        let wordOffset = MicroPythonLayout.sizeWordOffset
        sizeWord = UInt32(byte(wordOffset)) | UInt32(byte(wordOffset + 1)) << 8
            | UInt32(byte(wordOffset + 2)) << 16 | UInt32(byte(wordOffset + 3)) << 24
        guard sizeWord <= UInt32(MicroPythonLayout.maximumSize) else {
            md5Hex = nil
            result = false
            return
        }
        let size = Int(sizeWord)
        let needed = size + MicroPythonLayout.trailerLength
        let content = flash.count >= needed ? flash : flash + [UInt8](repeating: 0xFF, count: needed - flash.count)
        let digest = MicroPythonLayout.md5(of: content, end: size)
        md5Hex = Hex.string(digest)
        result = Array(content[size..<needed]) == digest
    }
}
