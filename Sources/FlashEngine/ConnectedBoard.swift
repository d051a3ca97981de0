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
    /// The loader that connected (and probed, and perhaps started the stub): the session goes on with
    /// this very client, so whatever it knows travels with it (ROM or stub, the stub's decoders still
    /// to load, flash it erased). Its link should be an `InterruptibleLink` so Ctrl-C stops it and its
    /// bytes are counted in the record.
    public var client: LoaderClient
    /// What the probe read.
    public var info: BoardInfo
    /// How the bootloader was entered (`manual`, `no-reset`, or the reset strategy's description).
    public var bootloaderEntry: BootloaderEntry
    /// True when the automatic DTR/RTS reset brought the chip into its bootloader.
    public var autoResetWorked: Bool
    /// True when espwiz's stub already runs on it (the wizard's look at the flash started it).
    public var stubRunning: Bool { client.loaderKind == .stub }

    /// Describes a connected board and the loader that connected to it.
    public init(port: PortChoice, client: LoaderClient, info: BoardInfo, bootloaderEntry: BootloaderEntry, autoResetWorked: Bool) {
        self.port = port
        self.link = client.link
        self.client = client
        self.info = info
        self.bootloaderEntry = bootloaderEntry
        self.autoResetWorked = autoResetWorked
    }

    /// Describes a connected board whose ROM bootloader listens on `link` (a new ROM client is made over it).
    public init(port: PortChoice, link: any SerialLink, info: BoardInfo, bootloaderEntry: BootloaderEntry, autoResetWorked: Bool) {
        self.init(port: port, client: LoaderClient(link: link as? InterruptibleLink ?? InterruptibleLink(link)), info: info,
                  bootloaderEntry: bootloaderEntry, autoResetWorked: autoResetWorked)
    }
}
