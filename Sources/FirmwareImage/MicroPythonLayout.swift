import Crypto
import ESPProtocol

/// The MicroPython `firmware.bin` layout (since v1.8.3): boot image at 0, a u32 size word at
/// 0x8FFC, irom0 code at 0x9000, and a 16-byte MD5 of bytes [4, size) stored at `size`.
public struct MicroPythonLayout: Equatable, Sendable {
    /// Offset of the little-endian size word.
    public static let sizeWordOffset = 0x8FFC
    /// Offset where irom0 code starts (mapped at 0x40209000).
    public static let irom0Offset = 0x9000
    /// Length of the MD5 trailer.
    public static let trailerLength = 16
    /// `esp.check_fw()` rejects size words above this.
    public static let maximumSize = 1 << 20

    /// The size word: irom0 end = offset of the MD5 trailer.
    public var sizeWord: Int
    /// The MD5 stored in the trailer.
    public var storedMD5: [UInt8]
    /// The MD5 computed over bytes [4, sizeWord).
    public var computedMD5: [UInt8]

    /// True when the trailer matches the content.
    public var md5IsValid: Bool { storedMD5 == computedMD5 }
    /// Bytes of irom0 code.
    public var irom0Length: Int { sizeWord - Self.irom0Offset }
    /// The file length the size word implies.
    public var expectedFileLength: Int { sizeWord + Self.trailerLength }

    /// True when `bytes` carries a size word (file reaches 0x9000 and the word is not erased 0xFFFFFFFF).
    public static func hasSizeWord(_ bytes: [UInt8]) -> Bool {
        bytes.count >= irom0Offset && LittleEndian.u32(bytes, at: sizeWordOffset) != 0xFFFF_FFFF
    }

    /// MD5 of `bytes[4..<end]` as MicroPython computes it.
    public static func md5(of bytes: [UInt8], end: Int) -> [UInt8] {
        let upper = min(max(end, 4), bytes.count)
        return Array(Insecure.MD5.hash(data: bytes[min(4, upper)..<upper]))
    }

    /// Reads the size word and trailer. A wrong MD5 does not throw (see `md5IsValid`).
    public init(parsing bytes: [UInt8]) throws(MicroPythonLayoutError) {
        guard bytes.count >= Self.irom0Offset else { throw .truncatedBeforeSizeWord(fileLength: bytes.count) }
        let word = LittleEndian.u32(bytes, at: Self.sizeWordOffset)
        guard word >= UInt32(Self.irom0Offset), word <= UInt32(Self.maximumSize) else { throw .implausibleSizeWord(word) }
        sizeWord = Int(word)
        let expected = sizeWord + Self.trailerLength
        if bytes.count < expected { throw .truncatedBeforeTrailer(sizeWord: sizeWord, fileLength: bytes.count) }
        if bytes.count > expected { throw .sizeWordMismatch(sizeWord: sizeWord, fileLength: bytes.count) }
        storedMD5 = Array(bytes[sizeWord..<expected])
        computedMD5 = Self.md5(of: bytes, end: sizeWord)
    }
}
