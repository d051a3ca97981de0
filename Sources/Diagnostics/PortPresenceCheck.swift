import PortDiscovery
import Troubleshooting

/// The first three checks: a serial port is present, the USB bridge behind it is identified, and
/// its kernel driver is bound (Linux sysfs).
public enum PortPresenceCheck {
    /// The `ports`, `bridge` and `driver` results for a survey.
    public static func evaluate(_ survey: PortSurvey, services: SystemServices? = nil, userGroups: [String]? = nil,
                                platform: Troubleshooting.Platform = .current) -> [CheckResult] {
        [ports(survey, services: services, userGroups: userGroups, platform: platform),
         bridge(survey, platform: platform),
         driver(survey, platform: platform)]
    }

    /// Whether there is a port to check.
    public static func ports(_ survey: PortSurvey, services: SystemServices? = nil, userGroups: [String]? = nil,
                             platform: Troubleshooting.Platform = .current) -> CheckResult {
        let others = survey.ports.filter { $0.devicePath != survey.chosen?.devicePath }.map(\.devicePath)
        let otherText = others.isEmpty ? "" : "; also present: \(others.prefix(4).joined(separator: ", "))\(others.count > 4 ? ", …" : "")"
        if let requested = survey.requestedPath, survey.chosen == nil {
            let fix = others.isEmpty ? nil : "Use one of the ports present: espwiz doctor --port \(others[0])"
            return .problem(.ports, .fail, "\(requested) does not exist\(others.isEmpty ? "; no other serial port was found" : otherText).",
                            id: "port-not-found", fix: fix, platform: platform)
        }
        guard let chosen = survey.chosen else {
            let advice = NoPortsAdvice(platform: advicePlatform(platform), services: services,
                                       unboundBridges: survey.unboundBridges, userGroups: userGroups)
            var summary = survey.ports.isEmpty ? "No serial port found." : "No USB serial port found (only \(survey.ports.map(\.devicePath).joined(separator: ", ")))."
            if let bridge = survey.unboundBridges.first {
                summary += " A \(bridge.bridge.displayName) is on USB \(bridge.usbLocation) but has no serial port."
            }
            let top = advice.causes.first
            return .problem(.ports, .fail, summary, id: survey.unboundBridges.isEmpty ? NoPortsAdvice.catalogueID : unboundID(survey.unboundBridges[0]),
                            fix: top?.fix, platform: platform, details: advice.causes.map { "\($0.likely ? "[likely] " : "")\($0.cause)" })
        }
        let how = survey.requestedPath != nil ? "given with --port" : describe(chosen.category)
        return .ok(.ports, "\(chosen.devicePath) (\(how))\(otherText).")
    }

    /// Which bridge chip the port is behind.
    public static func bridge(_ survey: PortSurvey, platform: Troubleshooting.Platform = .current) -> CheckResult {
        guard let port = survey.chosen else {
            if let unbound = survey.unboundBridges.first {
                return .ok(.bridge, "\(unbound.bridge.displayName) (\(USBID.format(unbound.vendorID)):\(USBID.format(unbound.productID))) on USB \(unbound.usbLocation), without a serial port.")
            }
            return .skipped(.bridge, "No USB-serial bridge found.")
        }
        if port.category == .simulated || port.simulator != nil {
            let stands = port.bridge.flatMap { $0 == .simulated ? nil : $0.displayName }
            return .ok(.bridge, "espwiz simulator\(port.product.map { " (\($0))" } ?? "")\(stands.map { ", standing for a \($0)" } ?? "").")
        }
        if let bridge = port.bridge {
            let usb = port.usbID.map { " (\($0))" } ?? ""
            if bridge.id == "espressif-usb" {
                return .problem(.bridge, .warn, "\(bridge.displayName)\(usb): this is an ESP32-family chip, not an ESP8266.",
                                id: "wrong-chip", platform: platform)
            }
            return .ok(.bridge, "\(bridge.displayName)\(usb)\(port.product.map { ", \"\($0)\"" } ?? "").")
        }
        if let usb = port.usbID {
            return CheckResult(.bridge, .warn, "Unknown USB device \(usb)\(port.product.map { " (\($0))" } ?? ""): not a USB-serial chip used on ESP8266 boards.",
                               fix: "Check that this is the board's port: run `espwiz ports` with and without the board plugged in.")
        }
        return .skipped(.bridge, "\(port.devicePath) is not a USB port: no bridge chip to identify.")
    }

    /// Whether the right kernel driver is bound (Linux only).
    public static func driver(_ survey: PortSurvey, platform: Troubleshooting.Platform = .current) -> CheckResult {
        guard platform == .linux else { return .skipped(.driver, "Driver binding is checked on Linux only.") }
        guard let port = survey.chosen else {
            guard let unbound = survey.unboundBridges.first else { return .skipped(.driver, "No USB-serial bridge found.") }
            let id = unboundID(unbound)
            if id == "brltty-grabs-port" {
                return .problem(.driver, .fail, "The \(unbound.bridge.displayName) on USB \(unbound.usbLocation) was claimed by another program through usbfs (usually brltty), so it has no port.",
                                id: id, platform: platform)
            }
            if unbound.interfaceDrivers.isEmpty {
                return .problem(.driver, .fail, "No kernel driver is bound to the \(unbound.bridge.displayName) on USB \(unbound.usbLocation) (it needs \(unbound.bridge.linuxDriver)).",
                                id: id, fix: "sudo modprobe \(unbound.bridge.linuxDriver), then unplug and replug the board (`sudo dmesg -w` shows what the kernel does).",
                                platform: platform)
            }
            return .problem(.driver, .fail, "The \(unbound.bridge.displayName) on USB \(unbound.usbLocation) is bound to \(unbound.interfaceDrivers.joined(separator: ", ")), not \(unbound.bridge.linuxDriver), so it has no port.",
                            id: id, fix: "sudo modprobe \(unbound.bridge.linuxDriver), then unplug and replug the board.", platform: platform)
        }
        if port.category == .simulated || port.simulator != nil {
            return .ok(.driver, "Simulated port (pty)\(port.driver.map { $0 == "pty" ? "" : ", standing for \($0)" } ?? "").")
        }
        guard let bridge = port.bridge else {
            if port.usbID == nil { return .skipped(.driver, "\(port.devicePath) is not a USB port.") }
            return .ok(.driver, "Driver \(port.driver ?? "unknown") bound.")
        }
        guard let driver = port.driver else {
            return .problem(.driver, .fail, "No kernel driver is bound to the \(bridge.displayName) (expected \(bridge.linuxDriver)).",
                            id: "driver-missing", fix: "sudo modprobe \(bridge.linuxDriver), then unplug and replug the board.", platform: platform)
        }
        if port.hasUnexpectedDriver {
            let id = driver == "usbfs" ? "brltty-grabs-port" : "driver-missing"
            return .problem(.driver, .warn, "\(port.devicePath) is bound to driver \(driver), expected \(bridge.linuxDriver).",
                            id: id, platform: platform)
        }
        return .ok(.driver, "\(driver) bound to the \(bridge.displayName).")
    }

    static func unboundID(_ bridge: UnboundBridge) -> String {
        bridge.interfaceDrivers.contains("usbfs") ? "brltty-grabs-port" : "driver-missing"
    }

    static func describe(_ category: PortCategory) -> String {
        switch category {
        case .likelyESP: "a likely ESP board"
        case .simulated: "a simulated board"
        case .usbSerial: "a USB serial device"
        case .otherSerial: "a serial port"
        case .hidden: "a hidden port"
        }
    }

    static func advicePlatform(_ platform: Troubleshooting.Platform) -> NoPortsAdvice.Platform {
        switch platform {
        case .linux: .linux
        case .macos: .macOS
        case .windows: .windows
        }
    }
}
