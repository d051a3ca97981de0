/// Which esptool command-line spelling the docs use.
public enum EsptoolSpelling: String, CaseIterable, Sendable, Codable {
    /// esptool v5: `esptool … erase-flash`, `write-flash --flash-mode … --flash-size …`.
    case v5
    /// esptool v4 and older: `esptool.py … erase_flash`, `write_flash --flash_mode … --flash_size …`.
    case v4

    /// The program name.
    public var program: String { self == .v5 ? "esptool" : "esptool.py" }
    /// The chip-erase command.
    public var eraseCommand: String { self == .v5 ? "erase-flash" : "erase_flash" }
    /// The write command.
    public var writeCommand: String { self == .v5 ? "write-flash" : "write_flash" }
    /// The write option that erases the whole chip first (esptool 2.6 and later, same in v4 and v5).
    public var eraseAllOption: String { "--erase-all" }
    /// The flash-mode option.
    public var flashModeOption: String { self == .v5 ? "--flash-mode" : "--flash_mode" }
    /// The flash-size option.
    public var flashSizeOption: String { self == .v5 ? "--flash-size" : "--flash_size" }
    /// The flash-frequency option.
    public var flashFrequencyOption: String { self == .v5 ? "--flash-freq" : "--flash_freq" }
    /// The reset mode that skips DTR/RTS toggling (for boards put in the bootloader by hand).
    public var noResetMode: String { self == .v5 ? "no-reset" : "no_reset" }
    /// The pip requirement that installs this spelling's esptool.
    public var pipRequirement: String { self == .v5 ? "esptool" : "esptool<5" }
    /// The command that prints the installed version.
    public var versionCommand: [String] { [program, "version"] }
}
