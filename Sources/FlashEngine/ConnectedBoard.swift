import ESPLoader
import RunRecord
import SerialTransport

/// A board the caller already brought into its ROM bootloader and identified (the wizard's step 2),
/// handed to `FlashSession` so the run goes on over the same open port: no second reset or
/// manual boot, no second probe.
public struct ConnectedBoard {
    /// The port it answered on.
    public var port: PortChoice
    /// The open link, with the ROM bootloader listening; the session owns (and closes) it from now on.
    public var link: any SerialLink
    /// What the probe read.
    public var info: BoardInfo
    /// How the bootloader was entered (`manual`, `no-reset`, or the reset strategy's description).
    public var bootloaderEntry: BootloaderEntry
    /// True when the automatic DTR/RTS reset brought the chip into its bootloader.
    public var autoResetWorked: Bool
    /// True when espwiz's stub already runs on it, started at the ROM's rate (the wizard's look at the flash).
    public var stubRunning = false

    /// Describes a connected board.
    public init(port: PortChoice, link: any SerialLink, info: BoardInfo, bootloaderEntry: BootloaderEntry, autoResetWorked: Bool,
                stubRunning: Bool = false) {
        self.stubRunning = stubRunning
        self.port = port
        self.link = link
        self.info = info
        self.bootloaderEntry = bootloaderEntry
        self.autoResetWorked = autoResetWorked
    }
}
