/// The doctor's checks, in the order they run.
public enum CheckID: String, Sendable, Codable, CaseIterable {
    /// Serial ports present (and which one is checked).
    case ports
    /// The USB-serial bridge chip behind the port identified.
    case bridge
    /// The kernel driver bound to the bridge (Linux).
    case driver
    /// Permission to open the port.
    case permission
    /// Another process holding the port.
    case busy
    /// brltty / ModemManager installed or running.
    case services
    /// The ROM bootloader answering, and after which reset sequence.
    case bootloader
    /// The ROM boot log after a normal reset, decoded.
    case bootLog = "boot-log"
    /// MicroPython's REPL answering at 115200 baud.
    case micropython
    /// `esp.check_fw()` passing.
    case checkFirmware = "check-fw"

    /// Short title for people.
    public var title: String {
        switch self {
        case .ports: "Serial port"
        case .bridge: "USB bridge"
        case .driver: "Kernel driver"
        case .permission: "Permission"
        case .busy: "Port in use"
        case .services: "Port grabbers"
        case .bootloader: "Bootloader"
        case .bootLog: "Boot log"
        case .micropython: "MicroPython"
        case .checkFirmware: "esp.check_fw()"
        }
    }
}
