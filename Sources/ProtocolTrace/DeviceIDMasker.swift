import ESPProtocol

/// Hides device identifiers in a trace: the MAC's unique bytes in eFuse replies, MAC-shaped text,
/// USB serial numbers (given, or inside `/dev/serial/by-id/` names).
///
/// Masking keeps the trace replayable: an eFuse reply keeps its chip-type and OUI bits and only the
/// three device-specific MAC bytes become zero, so a replayed probe shows a MAC ending in `00:00:00`.
public struct DeviceIDMasker: Sendable {
    /// False when the person asked for identifiers to stay (`--include-device-ids`).
    public var enabled: Bool
    /// Exact strings to hide (USB serial numbers), longest first.
    public var secrets: [String]

    /// Creates a masker; secrets shorter than 3 characters are ignored (too likely to hit other text).
    public init(enabled: Bool, secrets: [String] = []) {
        self.enabled = enabled
        self.secrets = secrets.filter { $0.count >= 3 }.sorted { $0.count > $1.count }
    }

    /// eFuse word 0 holds the MAC's last byte in bits 24–31; word 1 the two before it in bits 0–15.
    static func maskedEFuse(address: UInt32, value: UInt32) -> UInt32? {
        switch address {
        case ESP8266Registers.efuse[0]: value & 0x00FF_FFFF
        case ESP8266Registers.efuse[1]: value & 0xFFFF_0000
        default: nil
        }
    }

    /// The unframed READ_REG reply with its value masked, when `address` is a MAC eFuse word.
    public func maskReply(_ frame: [UInt8], readAddress address: UInt32?) -> [UInt8] {
        guard enabled, let address, var response = try? ResponsePacket.decode(frame),
              response.opcode == .readReg, let masked = DeviceIDMasker.maskedEFuse(address: address, value: response.value)
        else { return frame }
        response.value = masked
        return response.encoded()
    }

    /// `text` with secrets, by-id serial numbers and MAC-shaped tokens replaced.
    public func maskText(_ text: String) -> String {
        guard enabled else { return text }
        var out = text
        for secret in secrets where out.contains(secret) { out = out.replacing(secret, with: "<serial>") }
        return DeviceIDMasker.maskMACs(DeviceIDMasker.maskByIDSerial(out))
    }

    /// `/dev/serial/by-id/usb-Maker_Product_SERIAL-if00-port0`: the part after the last `_` before `-if`.
    static func maskByIDSerial(_ text: String) -> String {
        guard let range = text.range(of: "/by-id/") else { return text }
        let tail = text[range.upperBound...]
        guard let ifRange = tail.range(of: "-if"), let underscore = tail[..<ifRange.lowerBound].lastIndex(of: "_") else { return text }
        return String(text[..<tail.index(after: underscore)]) + "<serial>" + String(tail[ifRange.lowerBound...])
    }

    /// Replaces `xx:xx:xx:xx:xx:xx` (or with `-`) by `<MAC>`.
    static func maskMACs(_ text: String) -> String {
        let chars = Array(text)
        guard chars.count >= 17 else { return text }
        var out = ""
        var i = 0
        while i < chars.count {
            if (i == 0 || !chars[i - 1].isHexDigit), isMAC(chars, at: i) {
                out += "<MAC>"
                i += 17
            } else {
                out.append(chars[i])
                i += 1
            }
        }
        return out
    }

    private static func isMAC(_ c: [Character], at i: Int) -> Bool {
        guard i + 17 <= c.count else { return false }
        let sep = c[i + 2]
        guard sep == ":" || sep == "-" else { return false }
        for g in 0..<6 {
            let s = i + g * 3
            guard c[s].isHexDigit, c[s + 1].isHexDigit else { return false }
            if g < 5, c[s + 2] != sep { return false }
        }
        return i + 17 == c.count || !c[i + 17].isHexDigit
    }
}
