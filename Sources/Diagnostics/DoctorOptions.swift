/// What the doctor checks and how long it listens.
public struct DoctorOptions: Sendable {
    /// The port to check; nil picks the most likely ESP board.
    public var port: String?
    /// Rate for the bootloader and the REPL.
    public var baud: Int
    /// Boot-log rate when the crystal is unknown (74880 for the usual 26 MHz crystal).
    public var defaultBootLogBaud: Int
    /// Longest time to listen for the boot log after an automatic reset.
    public var bootLogSeconds: Double
    /// Silence after data that ends the boot-log capture (long enough to see a watchdog boot loop repeat).
    public var bootLogQuietSeconds: Double
    /// Longest time to wait for someone to press RST.
    public var manualResetSeconds: Double
    /// Connection attempts when the port has DTR/RTS (one per reset sequence of esptool's cycle).
    public var connectAttempts: Int

    /// Creates options with the defaults used by `espwiz doctor`.
    public init(port: String? = nil, baud: Int = 115_200, defaultBootLogBaud: Int = 74_880,
                bootLogSeconds: Double = 4.5, bootLogQuietSeconds: Double = 2.0,
                manualResetSeconds: Double = 10, connectAttempts: Int = 4) {
        self.port = port
        self.baud = baud
        self.defaultBootLogBaud = defaultBootLogBaud
        self.bootLogSeconds = bootLogSeconds
        self.bootLogQuietSeconds = bootLogQuietSeconds
        self.manualResetSeconds = manualResetSeconds
        self.connectAttempts = connectAttempts
    }
}
