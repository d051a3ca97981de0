import PortDiscovery
import SerialTransport
import Troubleshooting

/// Whether another process holds the port, named from `/proc/*/fd` (a terminal left open,
/// ModemManager, brltty, another flasher).
public enum PortBusyCheck {
    /// The result from the open attempt and the processes found holding the device.
    public static func evaluate(path: String, openError: SerialError?, holders: [PortHolder],
                                platform: Troubleshooting.Platform = .current) -> CheckResult {
        let lockedOut: Bool
        if case .busy? = openError { lockedOut = true } else { lockedOut = false }
        guard !holders.isEmpty else {
            if lockedOut {
                return .problem(.busy, .fail, "\(path) is locked by another program that this user cannot see.", id: "port-busy",
                                fix: "Find it with `sudo fuser -v \(path)` (or `sudo lsof \(path)`) and close it.", platform: platform)
            }
            return .ok(.busy, "No other process has \(path) open.")
        }
        let names = holders.map { "\($0.command) (pid \($0.pid))" }.joined(separator: ", ")
        let commands = Set(holders.map(\.command))
        let id = commands.contains("ModemManager") ? "modemmanager-probing"
            : commands.contains("brltty") ? "brltty-grabs-port" : "port-busy"
        let summary = lockedOut
            ? "\(path) is in use by \(names); it holds the port locked."
            : "\(path) is also open in \(names); it will swallow the board's replies."
        let fix: String
        switch id {
        case "modemmanager-probing": fix = "sudo systemctl stop ModemManager (or wait ten seconds after plugging in), then try again."
        case "brltty-grabs-port": fix = "sudo apt remove brltty (or: sudo systemctl mask brltty-udev.service), then replug the board."
        default: fix = "Close \(holders[0].command) (the terminal or tool using the port), or stop it: kill \(holders.map { String($0.pid) }.joined(separator: " "))."
        }
        return .problem(.busy, .fail, summary, id: id, fix: fix, platform: platform,
                        details: holders.map { "pid \($0.pid): \($0.command)" })
    }
}
