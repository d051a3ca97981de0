/// What to tell someone when no serial port was found: likely causes and fixes for their platform.
///
/// This is the `no-serial-ports` entry of the troubleshooting catalogue. Evidence gathered on the
/// machine (brltty installed, a bridge on USB without a port, missing group) moves the matching
/// cause to the top and marks it as likely.
public struct NoPortsAdvice: Sendable, Equatable {
    /// The troubleshooting catalogue id.
    public static let catalogueID = "no-serial-ports"

    /// The platform the advice is for.
    public enum Platform: String, Sendable, Codable, CaseIterable {
        case linux, macOS, windows

        /// The platform espwiz was built for.
        public static var current: Platform {
            #if os(macOS)
            return .macOS
            #elseif os(Windows)
            return .windows
            #else
            return .linux
            #endif
        }
    }

    /// One possible cause with its fix.
    public struct Cause: Sendable, Equatable, Codable {
        /// Stable id, e.g. `charge-only-cable`, `brltty`.
        public var id: String
        /// What may be wrong.
        public var cause: String
        /// What to do about it.
        public var fix: String
        /// True when something found on this machine points at this cause.
        public var likely: Bool

        /// Creates a cause.
        public init(id: String, cause: String, fix: String, likely: Bool = false) {
            self.id = id
            self.cause = cause
            self.fix = fix
            self.likely = likely
        }
    }

    /// The platform.
    public var platform: Platform
    /// Causes, likely ones first.
    public var causes: [Cause]

    /// Builds the advice from what is known about the machine.
    ///
    /// - Parameters:
    ///   - services: brltty / ModemManager status (Linux), when checked.
    ///   - unboundBridges: bridge chips on USB without a serial port (Linux), when checked.
    ///   - userGroups: the user's group names, when known (Linux: dialout / uucp matter).
    public init(platform: Platform = .current, services: SystemServices? = nil,
                unboundBridges: [UnboundBridge] = [], userGroups: [String]? = nil) {
        self.platform = platform
        var list: [Cause] = []
        let bridgeNames = unboundBridges.map { "\($0.bridge.displayName) at USB \($0.usbLocation)" }
        let claimedByUsbfs = unboundBridges.contains { $0.interfaceDrivers.contains("usbfs") }
        let withoutDriver = unboundBridges.filter { $0.interfaceDrivers.isEmpty }

        list.append(Cause(
            id: "not-connected",
            cause: "The board is not plugged in, or not powered (its power LED is off).",
            fix: "Plug the board straight into the computer (not through an unpowered hub) and check that an LED lights up."))
        list.append(Cause(
            id: "charge-only-cable",
            cause: "The USB cable is a charge-only cable: it carries power but no data, so the board lights up but no port appears.",
            fix: "Use a cable you know carries data (for example one that lets a phone transfer files)."))
        switch platform {
        case .linux:
            let brlttyEvidence = claimedByUsbfs || (services?.brlttyInstalled ?? false)
            list.append(Cause(
                id: "brltty",
                cause: "brltty (a braille display service, installed by default on Ubuntu) grabs CH340 and CP210x adapters, so their /dev/ttyUSB port disappears right after it is created."
                    + (claimedByUsbfs ? " A bridge is on USB but claimed by another program: \(bridgeNames.joined(separator: ", "))." : "")
                    + ((services?.brlttyInstalled ?? false) ? " brltty is installed on this machine." : ""),
                fix: "If you do not use a braille display: sudo apt remove brltty (or: sudo systemctl mask brltty-udev.service), then unplug and replug the board.",
                likely: brlttyEvidence))
            list.append(Cause(
                id: "missing-driver",
                cause: "The kernel driver for the USB-serial chip is not loaded (cp210x, ch341, ftdi_sio, pl2303 or cdc_acm)."
                    + (withoutDriver.isEmpty ? "" : " Found without a driver: \(withoutDriver.map { "\($0.bridge.displayName) at USB \($0.usbLocation)" }.joined(separator: ", ")); it needs \(Set(withoutDriver.map(\.bridge.linuxDriver)).sorted().joined(separator: ", "))."),
                fix: "Run 'sudo dmesg -w' and replug the board to see what the kernel says; load the driver with 'sudo modprobe <driver>' (e.g. sudo modprobe ch341), or install your distribution's extra kernel modules package.",
                likely: !withoutDriver.isEmpty))
            let inSerialGroup = userGroups.map { $0.contains("dialout") || $0.contains("uucp") }
            list.append(Cause(
                id: "serial-group",
                cause: "Once the port appears, opening it needs membership of the dialout group (uucp on Arch)."
                    + (inSerialGroup == false ? " You are in neither group." : ""),
                fix: "sudo usermod -aG dialout $USER (on Arch: uucp), then log out and back in.",
                likely: inSerialGroup == false))
        case .macOS:
            list.append(Cause(
                id: "missing-driver",
                cause: "The driver for the USB-serial chip is missing: CP210x needs the Silicon Labs VCP driver, CH340/CH9102 on older macOS need the WCH driver.",
                fix: "Install the driver (Homebrew: brew install --cask silicon-labs-vcp-driver, or WCH's CH34x driver), allow it in System Settings > Privacy & Security, then replug the board. Check System Information > USB to see whether the board is detected at all."))
        case .windows:
            list.append(Cause(
                id: "missing-driver",
                cause: "The driver for the USB-serial chip is missing (Device Manager shows an unknown device or a yellow warning sign).",
                fix: "Install the Silicon Labs CP210x VCP driver or the WCH CH341SER / CH343SER driver, then replug the board and look under Ports (COM & LPT)."))
        }
        // Stable sort: causes with evidence that explain a missing port first, catalogue order
        // otherwise. The group cause stays last: it stops a port opening, it does not hide it.
        func promoted(_ c: Cause) -> Bool { c.likely && c.id != "serial-group" }
        causes = list.enumerated().sorted { a, b in
            promoted(a.element) != promoted(b.element) ? promoted(a.element) : a.offset < b.offset
        }.map(\.element)
    }

    /// The advice as text for a terminal.
    public var text: String {
        var lines = ["No serial ports found.", "", "Possible causes, most likely first:"]
        for (i, c) in causes.enumerated() {
            lines.append("  \(i + 1). \(c.likely ? "[likely] " : "")\(c.cause)")
            lines.append("     Fix: \(c.fix)")
        }
        lines.append("")
        lines.append("(espwiz troubleshooting entry: \(NoPortsAdvice.catalogueID))")
        return lines.joined(separator: "\n")
    }
}
