/// The two status bytes that end every ESP8266 response.
///
/// For both the ESP8266 ROM and the stub a non-zero first byte means failure. The ROM sends
/// `[1, code]` (esptool prints "0107"); the stub sends `[code, 0]` (esptool prints "C100").
public struct StatusBytes: Equatable, Sendable {
    /// The first status byte.
    public var first: UInt8
    /// The second status byte.
    public var second: UInt8

    /// Creates status bytes from their raw values.
    public init(_ first: UInt8, _ second: UInt8) {
        self.first = first
        self.second = second
    }

    /// Success, as both loaders send it.
    public static let success = StatusBytes(0, 0)

    /// A ROM failure with the given ROM error code.
    public static func romFailure(_ code: ROMErrorCode) -> StatusBytes { StatusBytes(1, code.rawValue) }

    /// A stub failure with the given stub error code.
    public static func stubFailure(_ code: StubErrorCode) -> StatusBytes { StatusBytes(code.rawValue, 0) }

    /// True when the command failed.
    public var isFailure: Bool { first != 0 }

    /// The 16-bit "result" esptool prints (upper-case hex), e.g. `0107` or `C100`.
    public var resultText: String {
        (Hex.format(first, digits: 2, prefix: false) + Hex.format(second, digits: 2, prefix: false)).uppercased()
    }

    /// The failure explained for the given loader, or nil on success.
    public func failure(from loader: LoaderKind) -> LoaderFailure? {
        guard isFailure else { return nil }
        switch loader {
        case .rom: return .rom(ROMErrorCode(rawValue: second) ?? .undefined, raw: self)
        case .stub: return .stub(StubErrorCode(rawValue: first) ?? .notImplemented, raw: self)
        }
    }
}

/// Error codes the ROM loader puts in the second status byte.
public enum ROMErrorCode: UInt8, Sendable, CaseIterable {
    case undefined = 0x00
    case invalidParameter = 0x01
    case mallocFailed = 0x02
    case sendFailed = 0x03
    case receiveFailed = 0x04
    case invalidFormat = 0x05
    case resultWrong = 0x06
    case checksumError = 0x07
    case flashWriteError = 0x08
    case flashReadError = 0x09
    case flashReadLengthError = 0x0A
    case deflateError = 0x0B
    case adler32Error = 0x0C
    case deflateParameterError = 0x0D
    case invalidRAMSize = 0x0E
    case invalidRAMAddress = 0x0F

    /// What the code means, in words.
    public var meaning: String {
        switch self {
        case .undefined: "undefined error"
        case .invalidParameter: "input parameter invalid"
        case .mallocFailed: "out of memory in the loader"
        case .sendFailed: "the loader failed to send a message"
        case .receiveFailed: "the loader failed to receive a message"
        case .invalidFormat: "message format invalid, or the command is not supported by this loader"
        case .resultWrong: "message understood but the result was wrong"
        case .checksumError: "checksum error: the data arrived corrupted"
        case .flashWriteError: "flash write error: what was written did not read back the same"
        case .flashReadError: "flash read error"
        case .flashReadLengthError: "flash read length error"
        case .deflateError: "compressed data could not be inflated"
        case .adler32Error: "compressed data failed its Adler-32 check"
        case .deflateParameterError: "bad parameter for compressed data"
        case .invalidRAMSize: "invalid RAM binary size"
        case .invalidRAMAddress: "invalid RAM binary address"
        }
    }
}

/// Error codes a flasher stub puts in the first status byte.
public enum StubErrorCode: UInt8, Sendable, CaseIterable {
    case badDataLength = 0xC0
    case badDataChecksum = 0xC1
    case badBlockSize = 0xC2
    case invalidCommand = 0xC3
    case spiOperationFailed = 0xC4
    case spiUnlockFailed = 0xC5
    case notInFlashMode = 0xC6
    case inflateError = 0xC7
    case notEnoughData = 0xC8
    case tooMuchData = 0xC9
    case notImplemented = 0xFF

    /// What the code means, in words.
    public var meaning: String {
        switch self {
        case .badDataLength: "bad data length"
        case .badDataChecksum: "bad data checksum: the data arrived corrupted"
        case .badBlockSize: "bad block size"
        case .invalidCommand: "invalid command"
        case .spiOperationFailed: "a flash (SPI) operation failed"
        case .spiUnlockFailed: "the flash could not be unlocked"
        case .notInFlashMode: "not in flash mode (FLASH_BEGIN missing)"
        case .inflateError: "the compressed data could not be inflated"
        case .notEnoughData: "not enough data was sent"
        case .tooMuchData: "too much data was sent"
        case .notImplemented: "command not implemented by the stub"
        }
    }
}

/// A failed command as a named error.
public enum LoaderFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// The ROM loader rejected the command.
    case rom(ROMErrorCode, raw: StatusBytes)
    /// The stub rejected the command.
    case stub(StubErrorCode, raw: StatusBytes)

    public var description: String {
        switch self {
        case .rom(let code, let raw): "result was \(raw.resultText): \(code.meaning)"
        case .stub(let code, let raw): "result was \(raw.resultText): \(code.meaning)"
        }
    }

    /// True when the failure means the data was corrupted on the wire (a lower baud may help).
    public var isChecksumError: Bool {
        switch self {
        case .rom(let code, _): code == .checksumError
        case .stub(let code, _): code == .badDataChecksum
        }
    }

    /// True when the loader does not implement the command.
    public var isUnsupported: Bool {
        switch self {
        case .rom(let code, _): code == .invalidFormat
        case .stub(let code, _): code == .notImplemented || code == .invalidCommand
        }
    }
}
