#if canImport(Glibc)
import Glibc
#endif
import ESPLoader
import FirmwareImage
import PortDiscovery
import RunRecord
import SerialTransport
import Troubleshooting

/// Why a flash run stopped, with the catalogue entry, the exit code and the board's state.
public struct SessionFailure: Error, CustomStringConvertible, Sendable {
    /// Troubleshooting catalogue id.
    public var catalogueID: CatalogueID
    /// The message shown to the person.
    public var message: String
    /// The exit code the command ends with.
    public var exitCode: EspwizExitCode

    /// Creates a failure.
    public init(_ catalogueID: CatalogueID, _ message: String, exitCode: EspwizExitCode) {
        self.catalogueID = catalogueID
        self.message = message
        self.exitCode = exitCode
    }

    /// Creates a failure whose id comes from a layer that still carries it as a string (`LoaderError.catalogueID`).
    public init(_ catalogueID: String, _ message: String, exitCode: EspwizExitCode) {
        self.init(CatalogueID(catalogueID), message, exitCode: exitCode)
    }

    public var description: String { message }

    /// The catalogue entry, when the id is known.
    public var entry: CatalogueEntry? { ErrorCatalogue.entry(id: catalogueID) }

    /// A loader error during connect/probe (board not found) or later (flash failed); serial errors keep their own id.
    static func loader(_ error: LoaderError, phase: EspwizExitCode) -> SessionFailure {
        if case .serial(let serial) = error { return .serial(serial, phase: phase) }
        // A stop request during a block write arrives wrapped in the block's failure.
        if case .blockWriteFailed(_, _, _, let last) = error, case .serial(let serial) = last, case .interrupted = serial {
            return .serial(serial, phase: phase)
        }
        return SessionFailure(error.catalogueID, error.description, exitCode: phase)
    }

    /// A serial error while opening or using the port.
    static func serial(_ error: SerialError, phase: EspwizExitCode) -> SessionFailure {
        if case .interrupted = error {
            return SessionFailure("interrupted", "Stopped by request (Ctrl-C or SIGTERM).", exitCode: .interrupted)
        }
        if case .busy(let path) = error {
            let holders = PortHolders().holders(of: path).filter { $0.pid != getpid() }
            if !holders.isEmpty {
                let names = holders.map { "\($0.command) (pid \($0.pid))" }.joined(separator: ", ")
                return SessionFailure(error.catalogueID, "\(error.description) It is held by \(names).", exitCode: phase)
            }
        }
        return SessionFailure(error.catalogueID, error.description, exitCode: phase)
    }

    /// A firmware file refusal.
    static func firmware(_ error: FirmwareError) -> SessionFailure {
        SessionFailure(error.catalogueID, error.description, exitCode: .firmwareRejected)
    }
}
