import ESPProtocol

/// Why the MicroPython size word / MD5 trailer of a firmware file is not consistent.
public enum MicroPythonLayoutError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file ends after the boot image but before the size word at 0x8FFC.
    case truncatedBeforeSizeWord(fileLength: Int)
    /// The size word is below 0x9000 or above 1 MiB.
    case implausibleSizeWord(UInt32)
    /// The file ends before the 16-byte MD5 trailer that the size word announces.
    case truncatedBeforeTrailer(sizeWord: Int, fileLength: Int)
    /// The file is longer than size word + 16: extra bytes after the trailer.
    case sizeWordMismatch(sizeWord: Int, fileLength: Int)

    /// What is wrong, and what to do about it.
    public var description: String {
        switch self {
        case .truncatedBeforeSizeWord(let length):
            "The file is truncated: it ends at \(length) bytes, before MicroPython's size word at 0x8ffc and its main code at 0x9000. "
                + "Download the firmware again (or, for a split build, use the combined firmware.bin)."
        case .implausibleSizeWord(let word):
            "MicroPython's size word at 0x8ffc reads \(Hex.format(word, digits: 8)), which is not a possible firmware size: the file is corrupt. Download the firmware again."
        case .truncatedBeforeTrailer(let size, let length):
            "The file is truncated: MicroPython's size word says the code ends at \(size) bytes followed by a 16-byte MD5, so the file should have \(size + 16) bytes, but it has \(length). Download the firmware again."
        case .sizeWordMismatch(let size, let length):
            "The file has \(length - size - 16) unexpected bytes after MicroPython's MD5 trailer (size word \(size), file \(length) bytes): it was modified or joined with something else. Download the firmware again."
        }
    }
}
