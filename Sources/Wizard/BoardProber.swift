import ESPLoader
import FlashEngine
import RunRecord
import SerialTransport

/// A board found in its bootloader and identified, before anything is written; its port stays
/// open (the bootloader keeps listening) until the flash takes it over or `release()` closes it.
public struct ProbedBoard {
    /// The port it answered on.
    public var port: PortChoice
    /// What the probe read.
    public var info: BoardInfo
    /// True when the automatic DTR/RTS reset brought it into the bootloader (false: a manual boot did).
    public var autoResetWorked: Bool
    /// The loader that connected and probed, on the open port (an `InterruptibleLink`); the backup
    /// offer starts the stub through it and the flash engine goes on with it.
    public var client: LoaderClient
    /// How the bootloader was entered: the reset strategy's description, or `manual`.
    public var bootloaderEntry: BootloaderEntry
    /// The open port, the ROM bootloader (or the stub) listening on it.
    public var link: any SerialLink { client.link }
    /// True once espwiz's stub runs in its RAM (started to look at the flash; the flash goes on with it).
    public var stubRunning: Bool { client.loaderKind == .stub }

    /// The board as the flash engine takes it over (one connection, one client, from the probe to the boot check).
    public var connected: ConnectedBoard {
        ConnectedBoard(port: port, client: client, info: info, bootloaderEntry: bootloaderEntry, autoResetWorked: autoResetWorked)
    }

    /// Closes the port when no flash follows.
    public func release() { link.close() }
}

/// Why the board could not be reached or identified.
public struct ProbeFailure: Error, CustomStringConvertible, Sendable {
    /// The troubleshooting catalogue id.
    public var catalogueID: String
    /// What is wrong and what to do.
    public var description: String
    /// True when the person gave up the manual boot.
    public var gaveUp: Bool
}

/// Reaches the ROM bootloader and reads the board's identity, read-only, and keeps the port open for the flash.
///
/// Automatic reset first (when the port has DTR/RTS); if the chip does not answer, the manual boot
/// is requested again and again until it answers or the person gives up.
public struct BoardProber {
    /// Opens ports.
    public var connector: BoardConnector
    /// The rate used to talk to the ROM while probing.
    public var baud = 115_200

    /// Creates a prober.
    public init(connector: BoardConnector) { self.connector = connector }

    /// Probes the board on `port`.
    ///
    /// - Parameters:
    ///   - status: one-line progress messages.
    ///   - manualBoot: shows the manual-boot steps and returns false when the person gives up.
    public func probe(_ port: PortChoice, status: (String) -> Void,
                      manualBoot: (_ attempt: Int) -> Bool) throws(ProbeFailure) -> ProbedBoard {
        let link: InterruptibleLink
        // Wrapped so the engine that adopts this client stops it on Ctrl-C and counts its bytes.
        do { link = InterruptibleLink(try connector.open(port, baud: baud)) } catch {
            throw ProbeFailure(catalogueID: error.catalogueID, description: error.description, gaveUp: false)
        }
        var handedOver = false
        defer { if !handedOver { link.close() } }
        let client = LoaderClient(link: link)
        var connection = BootloaderConnection(client: client, path: port.path, policy: .untilGivenUp)
        do {
            try connection.enter(report: { event in
                switch event {
                case .resetting: status("Resetting the board into its bootloader (DTR/RTS)...")
                case .resetFailed: status("The automatic reset did not bring up the bootloader.")
                case .noModemLines: status("This port cannot drive DTR/RTS, so the board must be put into its bootloader by hand.")
                case .stillNoAnswer(let attempt, _): status("Still no answer from the bootloader (attempt \(attempt)).")
                case .attempt, .answered, .bootsFromFlash, .manualBootRequested, .fastSyncFellBack: break
                }
            }, askManualBoot: manualBoot)
        } catch let failure as SessionFailure {
            // The only way to "manual-boot-needed" here: the person gave up (the manual boot is always allowed).
            if failure.catalogueID == "manual-boot-needed" {
                throw ProbeFailure(catalogueID: failure.catalogueID.rawValue,
                                   description: "The board did not enter its bootloader and the manual boot was given up. Nothing was written.",
                                   gaveUp: true)
            }
            throw ProbeFailure(catalogueID: failure.catalogueID.rawValue, description: failure.message, gaveUp: false)
        } catch {
            throw ProbeFailure(catalogueID: "no-bootloader-answer", description: "\(error)", gaveUp: false)
        }
        let autoReset = connection.entry != "manual"
        let entry = connection.entry
        do {
            let board = ProbedBoard(port: port, info: try client.probe(), autoResetWorked: autoReset, client: client, bootloaderEntry: entry)
            handedOver = true
            return board
        } catch {
            throw ProbeFailure(catalogueID: error.catalogueID, description: error.description, gaveUp: false)
        }
    }
}
