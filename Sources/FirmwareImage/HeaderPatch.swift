import ESPProtocol

/// Rewrites flash mode, size and frequency in header bytes 2–3 the way esptool does when it
/// writes an image at offset 0: only when byte 0 is 0xE9, the file parses as an ESP8266 image,
/// and at least one setting is not "keep". No other byte changes.
public struct HeaderPatch: Equatable, Sendable {
    /// The new flash mode, or nil to keep the image's.
    public var mode: FlashMode?
    /// The new flash size, or nil to keep the image's ("detect" must be resolved by the caller).
    public var size: FlashSize?
    /// The new flash frequency, or nil to keep the image's.
    public var frequency: FlashFrequency?

    /// Creates a patch; nil means "keep".
    public init(mode: FlashMode? = nil, size: FlashSize? = nil, frequency: FlashFrequency? = nil) {
        self.mode = mode
        self.size = size
        self.frequency = frequency
    }

    /// Creates a patch from esptool-style option values (`keep`, `dio`, `4MB`, `80m`…).
    public init(modeOption modeText: String, sizeOption sizeText: String, frequencyOption frequencyText: String) throws(HeaderPatchError) {
        func parse<T: RawRepresentable>(_ text: String, _ option: String, _: T.Type) throws(HeaderPatchError) -> T? where T.RawValue == String, T: CaseIterable {
            if text == "keep" { return nil }
            guard let value = T(rawValue: text) else {
                throw .invalidValue(option: option, value: text, allowed: ["keep"] + T.allCases.map(\.rawValue))
            }
            return value
        }
        mode = try parse(modeText, "--flash-mode", FlashMode.self)
        size = try parse(sizeText, "--flash-size", FlashSize.self)
        frequency = try parse(frequencyText, "--flash-freq", FlashFrequency.self)
    }

    /// True when every setting is "keep".
    public var keepsAll: Bool { mode == nil && size == nil && frequency == nil }

    /// The result of applying the patch to `bytes`.
    public func apply(to bytes: [UInt8]) -> HeaderPatchResult {
        guard !keepsAll else { return HeaderPatchResult(bytes: bytes, outcome: .allKeep) }
        guard bytes.count >= ESPImage.headerLength else { return HeaderPatchResult(bytes: bytes, outcome: .tooShort) }
        guard bytes[0] == ESPImage.magic else { return HeaderPatchResult(bytes: bytes, outcome: .notAnImage(firstByte: bytes[0])) }
        do { _ = try ESPImage(parsing: bytes) } catch {
            return HeaderPatchResult(bytes: bytes, outcome: .notValidESP8266Image(error))
        }
        var patched = bytes
        if let mode { patched[2] = mode.headerValue }
        var sizeNibble = patched[3] >> 4
        var frequencyNibble = patched[3] & 0x0F
        if let size { sizeNibble = size.headerNibble }
        if let frequency { frequencyNibble = frequency.headerNibble }
        patched[3] = sizeNibble << 4 | frequencyNibble
        return HeaderPatchResult(bytes: patched, outcome: .patched(old: (UInt16(bytes[2]) << 8) | UInt16(bytes[3]), new: (UInt16(patched[2]) << 8) | UInt16(patched[3])))
    }
}

/// The bytes after a header patch and what happened.
public struct HeaderPatchResult: Equatable, Sendable {
    /// What the patch did.
    public enum Outcome: Equatable, Sendable {
        /// Bytes 2–3 were rewritten; values as `0xMMSF` (byte 2 high, byte 3 low).
        case patched(old: UInt16, new: UInt16)
        /// Every setting was "keep".
        case allKeep
        /// Fewer than 8 bytes.
        case tooShort
        /// Byte 0 is not 0xE9.
        case notAnImage(firstByte: UInt8)
        /// Byte 0 is 0xE9 but the rest does not parse as an ESP8266 image.
        case notValidESP8266Image(ImageFormatError)
    }

    /// The (possibly) patched bytes.
    public var bytes: [UInt8]
    /// What happened.
    public var outcome: Outcome

    /// Creates a result.
    public init(bytes: [UInt8], outcome: Outcome) {
        self.bytes = bytes
        self.outcome = outcome
    }

    /// A line like esptool's: `Flash parameters set to 0x0240.` or why nothing changed.
    public var message: String {
        switch outcome {
        case .patched(_, let new): "Flash parameters set to \(Hex.format(new, digits: 4))."
        case .allKeep: "Flash parameters kept as in the image."
        case .tooShort: "The file is too short to be an image; flash parameters not changed."
        case .notAnImage: "The file at 0x0 doesn't look like an image file, so flash parameters were not changed."
        case .notValidESP8266Image: "The file at 0x0 is not a valid ESP8266 image, so flash parameters were not changed."
        }
    }
}

/// An invalid flash-parameter option value.
public enum HeaderPatchError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `value` is not one of `allowed` for `option`.
    case invalidValue(option: String, value: String, allowed: [String])

    /// What is wrong, and the allowed values.
    public var description: String {
        switch self {
        case .invalidValue(let option, let value, let allowed):
            "'\(value)' is not a valid value for \(option); use one of: \(allowed.joined(separator: ", "))."
        }
    }
}
