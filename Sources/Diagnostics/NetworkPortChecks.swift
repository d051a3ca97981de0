import RemoteSerial

/// The doctor on a network port (`rfc2217://`, `socket://`): which local checks do not apply, and why.
///
/// Device nodes, permissions, processes holding the port and brltty/ModemManager are facts of the
/// machine the board is plugged into, not of this one; checking them here would only fail falsely.
enum NetworkPortChecks {
    /// A parsed network port name.
    struct RemotePort {
        /// The name as typed (what the opener is given).
        var name: String
        /// True for `socket://`: no rate change, no reset lines.
        var fixedRate: Bool
        /// One line for the report's port description.
        var description: String
    }

    /// The network port `name` names, or nil for a local path (or no port).
    static func url(_ name: String?) -> RemotePort? {
        guard let name, let parsed = try? PortURL.parse(name), parsed.isRemote else { return nil }
        switch parsed {
        case .rfc2217(let host, let port, let options):
            let detail = options.ignoreSetControlAnswer ? ", ign_set_control" : ""
            return RemotePort(name: name, fixedRate: false, description: "RFC 2217 server at \(host):\(port)\(detail)")
        case .socket(let host, let port):
            return RemotePort(name: name, fixedRate: true, description: "raw TCP bridge at \(host):\(port) (fixed rate, no DTR/RTS)")
        case .local:
            return nil
        }
    }

    /// SKIP results for the checks that belong to the far machine.
    static func skippedLocalChecks(_ url: RemotePort) -> [CheckResult] {
        let why = "skipped: network port. This check belongs to the machine the board is plugged into (run espwiz doctor there)."
        return [CheckID.ports, .bridge, .driver, .permission, .busy, .services].map { CheckResult.skipped($0, why) }
    }

    /// Why the boot checks stop after the bootloader on a `socket://` port.
    static let fixedRateReason = "skipped: network port at a fixed rate (socket://): it can neither reset the board nor read the ROM's 74880-baud boot log. Use an rfc2217:// server (espwiz serve) for these checks."
}
