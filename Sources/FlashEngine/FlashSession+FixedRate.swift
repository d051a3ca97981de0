import RemoteSerial
import RunRecord

/// Ports whose rate cannot change (`socket://`): one rate for the whole run, no ladder, no CHANGE_BAUDRATE.
///
/// A raw TCP bridge carries bytes only; the serial port at its far end stays at the rate it was
/// set to. Raising the rate through the stub would leave the chip at a rate the bridge does not
/// speak, so the run stays at the rate `--baud` names (the ROM's 115200 by default).
extension FlashSession {
    /// The one rate for `port` when it cannot change rate, else nil.
    static func fixedRate(options: FlashOptions, port: PortChoice) -> Int? {
        PortURL.hasFixedRate(port.path) ? (options.baud ?? romBaud) : nil
    }

    /// True when the port in use (or the one asked for) cannot change rate.
    var rateIsFixed: Bool { PortURL.hasFixedRate(port?.path ?? options.port ?? "") }

    /// Replaces the ladder with the one fixed rate on a `socket://` port, telling the person why.
    func pinRateIfFixed(_ candidate: PortChoice) {
        guard let fixed = Self.fixedRate(options: options, port: candidate) else { return }
        ladder.rungs = [fixed]
        let reason = "\(candidate.path) is a raw socket: the rate cannot change, so the run stays at \(fixed) baud"
            + (options.baud == nil ? " (the rate the far end is set to; name another with --baud)" : " (--baud)")
        advice = BaudAdvisor.Advice(baud: fixed, reason: reason)
        observer.handle(.info(reason + "."))
    }
}

extension PortChoice {
    /// The record's `port.remote` block when the path is a network URL.
    var remoteRecord: RemotePortRecord? {
        guard let url = try? PortURL.parse(path) else { return nil }
        switch url {
        case .local: return nil
        case .rfc2217(let host, let port, let options):
            return RemotePortRecord(scheme: .rfc2217, host: host, port: port, ignSetControl: options.ignoreSetControlAnswer)
        case .socket(let host, let port):
            return RemotePortRecord(scheme: .socket, host: host, port: port)
        }
    }
}
