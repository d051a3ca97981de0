import ESPProtocol

/// What `LoaderClient.probe()` found out about the board, with the raw values it was derived from.
public struct BoardInfo: Equatable, Sendable, Codable {
    /// Chip name as esptool prints it: ESP8266EX, ESP8285N08, ESP8285H16, …
    public var chipName: String
    /// True for an ESP8285 (ESP8266 with flash in the package).
    public var isESP8285: Bool
    /// Feature list as esptool prints it.
    public var features: [String]
    /// Station MAC `aa:bb:cc:dd:ee:ff`, nil when the eFuses name an unknown OUI.
    public var macAddress: String?
    /// The SDK's chip id.
    public var chipID: UInt32
    /// Crystal frequency in MHz (26, 40 or 48), from the UART divider.
    public var crystalMHz: Int
    /// The unrounded crystal estimate in MHz.
    public var crystalEstimateMHz: Double
    /// Flash size in bytes from the JEDEC id, nil when the capacity code is unknown.
    public var flashSize: Int?
    /// Flash vendor name, when the manufacturer byte is known.
    public var flashVendor: String?
    /// Flash size the ESP8285's eFuses declare, nil on an ESP8266EX.
    public var embeddedFlashSize: Int?
    /// Which loader answered the probe.
    public var loader: LoaderKind

    /// Raw chip-detect register value (0xFFF0C101).
    public var chipMagic: UInt32
    /// Raw eFuse words 0–3.
    public var efuses: [UInt32]
    /// Raw UART0 clock divider (low 20 bits).
    public var uartDivider: UInt32
    /// Baud rate the divider was read at.
    public var probeBaud: Int
    /// Raw JEDEC id (`manufacturer | type << 8 | capacity << 16`).
    public var jedecID: UInt32

    /// Creates a record from every field.
    public init(chipName: String, isESP8285: Bool, features: [String], macAddress: String?, chipID: UInt32,
                crystalMHz: Int, crystalEstimateMHz: Double, flashSize: Int?, flashVendor: String?,
                embeddedFlashSize: Int?, loader: LoaderKind, chipMagic: UInt32, efuses: [UInt32],
                uartDivider: UInt32, probeBaud: Int, jedecID: UInt32) {
        self.chipName = chipName
        self.isESP8285 = isESP8285
        self.features = features
        self.macAddress = macAddress
        self.chipID = chipID
        self.crystalMHz = crystalMHz
        self.crystalEstimateMHz = crystalEstimateMHz
        self.flashSize = flashSize
        self.flashVendor = flashVendor
        self.embeddedFlashSize = embeddedFlashSize
        self.loader = loader
        self.chipMagic = chipMagic
        self.efuses = efuses
        self.uartDivider = uartDivider
        self.probeBaud = probeBaud
        self.jedecID = jedecID
    }

    /// Derives everything from the raw register values.
    public init(chipMagic: UInt32, efuses: [UInt32], uartDivider: UInt32, probeBaud: Int, jedecID: UInt32,
                loader: LoaderKind = .rom) {
        let identity = ChipIdentity(efuses: efuses)
        let jedec = JEDECID(raw: jedecID)
        let divider = uartDivider & 0xFFFFF
        self.init(chipName: identity.chipName, isESP8285: identity.isESP8285, features: identity.features,
                  macAddress: identity.macAddress, chipID: identity.chipID,
                  crystalMHz: Crystal.normalizedMHz(divider: divider, baud: probeBaud),
                  crystalEstimateMHz: Crystal.estimateMHz(divider: divider, baud: probeBaud),
                  flashSize: jedec.sizeBytes, flashVendor: jedec.vendor, embeddedFlashSize: identity.embeddedFlashSize,
                  loader: loader, chipMagic: chipMagic, efuses: efuses, uartDivider: divider,
                  probeBaud: probeBaud, jedecID: jedec.raw)
    }

    /// The eFuse-derived identity.
    public var identity: ChipIdentity { ChipIdentity(efuses: efuses) }
    /// The decoded JEDEC id.
    public var jedec: JEDECID { JEDECID(raw: jedecID) }
    /// Flash manufacturer byte.
    public var flashManufacturer: UInt8 { jedec.manufacturer }
    /// Flash "device" as esptool prints it (memory type and capacity, e.g. `4016`).
    public var flashDevice: String { jedec.deviceText }
}
