/// What booting the new firmware showed.
public struct VerificationRecord: Codable, Equatable, Sendable {
    /// Decoded boot log verdict (e.g. "flash boot, checksum ok").
    public var bootLogVerdict: String?
    /// The banner line the firmware printed (MicroPython's, CircuitPython's, or whatever came before the prompt).
    public var banner: String?
    /// The MicroPython version from the banner (nil for other firmware).
    public var micropythonVersion: String?
    /// Which firmware the banner names (nil in records from before it was recorded).
    public var firmware: BootedFirmware?
    /// The version from the banner, whichever firmware printed it.
    public var firmwareVersion: String?
    /// The lines `esp.check_fw()` printed.
    public var checkFirmwareOutput: [String]
    /// True only when `esp.check_fw()` printed True.
    public var checkFirmwarePassed: Bool

    /// Creates a verification record.
    public init(bootLogVerdict: String?, banner: String?, micropythonVersion: String?, checkFirmwareOutput: [String],
                checkFirmwarePassed: Bool) {
        self.bootLogVerdict = bootLogVerdict
        self.banner = banner
        self.micropythonVersion = micropythonVersion
        self.checkFirmwareOutput = checkFirmwareOutput
        self.checkFirmwarePassed = checkFirmwarePassed
    }
}
