/// What the board reported through the bootloader.
public struct BoardRecord: Codable, Equatable, Sendable {
    /// `ESP8266EX`, `ESP8285N08`…
    public var chip: String
    /// Features (`Wi-Fi`, `160MHz`…).
    public var features: [String]
    /// Station MAC address (left out of docs unless asked).
    public var mac: String?
    /// Crystal frequency in MHz.
    public var crystalMHz: Int
    /// JEDEC id as 6 hex digits (`ef4016`… manufacturer first as esptool prints `Manufacturer: ef, Device: 4016`).
    public var flashID: String?
    /// Flash vendor name.
    public var flashVendor: String?
    /// Flash size in bytes.
    public var flashSizeBytes: Int?
    /// How the bootloader was entered: a reset sequence name, `manual`, `no-reset` or `already-in-bootloader`.
    public var bootloaderEntry: BootloaderEntry
    /// False when the port has no DTR/RTS or they are not wired to the chip.
    public var autoResetWorked: Bool

    /// Creates a board record.
    public init(chip: String, features: [String], mac: String?, crystalMHz: Int, flashID: String?, flashVendor: String?,
                flashSizeBytes: Int?, bootloaderEntry: BootloaderEntry, autoResetWorked: Bool) {
        self.chip = chip
        self.features = features
        self.mac = mac
        self.crystalMHz = crystalMHz
        self.flashID = flashID
        self.flashVendor = flashVendor
        self.flashSizeBytes = flashSizeBytes
        self.bootloaderEntry = bootloaderEntry
        self.autoResetWorked = autoResetWorked
    }
}
