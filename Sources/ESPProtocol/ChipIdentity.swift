/// What the four eFuse words say about a chip: ESP8266EX or ESP8285, embedded flash, MAC.
public struct ChipIdentity: Equatable, Sendable, Codable {
    /// The raw eFuse words 0–3 (0x3FF00050 … 0x3FF0005C).
    public var efuses: [UInt32]

    /// Creates an identity from the four eFuse words.
    public init(efuses: [UInt32]) {
        precondition(efuses.count == 4, "four eFuse words are needed")
        self.efuses = efuses
    }

    /// True for an ESP8285 (ESP8266 with embedded flash): eFuse bit 4 or bit 80 set.
    public var isESP8285: Bool {
        efuses[0] & (1 << 4) != 0 || efuses[2] & (1 << 16) != 0
    }

    /// Embedded flash size in bytes for an ESP8285, when the eFuses say.
    public var embeddedFlashSize: Int? {
        guard isESP8285 else { return nil }
        let r0_4 = efuses[0] & (1 << 4) != 0
        let r3_25 = efuses[3] & (1 << 25) != 0
        let r3_26 = efuses[3] & (1 << 26) != 0
        let r3_27 = efuses[3] & (1 << 27) != 0
        if r0_4 && !r3_25 {
            if !r3_27 && !r3_26 { return 1 << 20 }
            if !r3_27 && r3_26 { return 2 << 20 }
        }
        if !r0_4 && r3_25 {
            if !r3_27 && !r3_26 { return 2 << 20 }
            if !r3_27 && r3_26 { return 4 << 20 }
        }
        return nil
    }

    /// The chip name as esptool prints it: ESP8266EX, ESP8285N08/H08, ESP8285N16/H16 or ESP8285.
    public var chipName: String {
        guard isESP8285 else { return "ESP8266EX" }
        let highTemp = efuses[0] & (1 << 5) != 0
        switch embeddedFlashSize {
        case 1 << 20: return highTemp ? "ESP8285H08" : "ESP8285N08"
        case 2 << 20: return highTemp ? "ESP8285H16" : "ESP8285N16"
        default: return "ESP8285"
        }
    }

    /// The feature list esptool prints.
    public var features: [String] {
        isESP8285 ? ["Wi-Fi", "160MHz", "Embedded Flash"] : ["Wi-Fi", "160MHz"]
    }

    /// Why a MAC address could not be derived.
    public struct UnknownOUI: Error, Equatable, Sendable {
        /// The byte that selects the OUI.
        public let selector: UInt8
    }

    /// The station MAC address, six bytes, by esptool's OUI rules.
    public func macBytes() throws(UnknownOUI) -> [UInt8] {
        let mac0 = efuses[0], mac1 = efuses[1], mac3 = efuses[3]
        let oui: [UInt8]
        if mac3 != 0 {
            oui = [UInt8(truncatingIfNeeded: mac3 >> 16), UInt8(truncatingIfNeeded: mac3 >> 8), UInt8(truncatingIfNeeded: mac3)]
        } else {
            switch UInt8(truncatingIfNeeded: mac1 >> 16) {
            case 0: oui = [0x18, 0xFE, 0x34]
            case 1: oui = [0xAC, 0xD0, 0x74]
            case let s: throw UnknownOUI(selector: s)
            }
        }
        return oui + [UInt8(truncatingIfNeeded: mac1 >> 8), UInt8(truncatingIfNeeded: mac1), UInt8(truncatingIfNeeded: mac0 >> 24)]
    }

    /// The MAC as `aa:bb:cc:dd:ee:ff`, or nil when the OUI is unknown.
    public var macAddress: String? {
        guard let bytes = try? macBytes() else { return nil }
        return bytes.map { Hex.format($0, digits: 2, prefix: false) }.joined(separator: ":")
    }

    /// The SDK's chip id: `(w0 >> 24) | ((w1 & 0xFFFFFF) << 8)`.
    public var chipID: UInt32 { (efuses[0] >> 24) | ((efuses[1] & 0xFF_FFFF) << 8) }

    /// eFuse words that produce a given MAC (used by simulated boards).
    ///
    /// The OUI goes in word 3 unless it is one of the two legacy Espressif OUIs, which are encoded
    /// by the selector byte of word 1 instead (only possible while `word3Flags` is zero, since a
    /// non-zero word 3 is always read as the OUI). `extraWord0Bits` and `word3Flags` carry ESP8285 bits.
    public static func efuses(forMAC mac: [UInt8], extraWord0Bits: UInt32 = 0, word2: UInt32 = 0, word3Flags: UInt32 = 0) -> [UInt32] {
        precondition(mac.count == 6)
        var w1 = UInt32(mac[3]) << 8 | UInt32(mac[4])
        var w3: UInt32 = word3Flags
        // A legacy OUI only works while word 3 is zero (any set bit there makes it the OUI source).
        if mac[0...2] == [0x18, 0xFE, 0x34] && word3Flags == 0 {
            w1 |= 0 << 16
        } else if mac[0...2] == [0xAC, 0xD0, 0x74] && word3Flags == 0 {
            w1 |= 1 << 16
        } else {
            w3 |= UInt32(mac[0]) << 16 | UInt32(mac[1]) << 8 | UInt32(mac[2])
        }
        let w0 = UInt32(mac[5]) << 24 | (extraWord0Bits & 0x00FF_FFFF)
        return [w0, w1, word2, w3]
    }
}
