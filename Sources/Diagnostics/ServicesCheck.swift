import PortDiscovery
import Troubleshooting

/// Whether brltty or ModemManager is installed or running and likely to grab the port (Linux).
public enum ServicesCheck {
    /// Bridge ids brltty's udev rules claim (CH340/CH341 and CP210x).
    static let brlttyVictims: Set<String> = ["ch340", "ch341", "cp210x", "cp2105", "cp2102c"]

    /// The result for the services found and the bridge of the port checked (nil when unknown).
    public static func evaluate(_ services: SystemServices, bridge: USBBridge?, platform: Troubleshooting.Platform = .current) -> CheckResult {
        guard platform == .linux else { return .skipped(.services, "brltty and ModemManager exist on Linux only.") }
        var problems: [(id: String, text: String)] = []
        if services.brlttyInstalled || services.brlttyRunning {
            let exposed = bridge.map { brlttyVictims.contains($0.id) } ?? true
            if exposed {
                let state = services.brlttyRunning ? "is running" : "is installed"
                let what = bridge.map { "the \($0.displayName)" } ?? "CH340 and CP210x adapters"
                problems.append(("brltty-grabs-port", "brltty \(state) and grabs \(what) (the port vanishes after plugging in)"))
            }
        }
        if services.modemManagerRunning {
            problems.append(("modemmanager-probing", "ModemManager is running and probes new serial ports with AT commands for about ten seconds after plugging in"))
        }
        guard let first = problems.first else {
            var notes: [String] = []
            notes.append(services.brlttyInstalled ? "brltty is installed but does not claim this bridge" : "brltty is not installed")
            notes.append(services.modemManagerInstalled ? "ModemManager is installed but not running" : "ModemManager is not installed")
            return .ok(.services, notes.joined(separator: "; ") + ".")
        }
        let summary = problems.map(\.text).joined(separator: "; ") + "."
        return .problem(.services, .warn, summary.prefix(1).uppercased() + summary.dropFirst(), id: first.id, platform: platform)
    }
}
