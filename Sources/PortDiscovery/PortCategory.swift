/// How likely a serial port is to be an ESP board; the order of the cases is the display order.
public enum PortCategory: String, Sendable, Codable, CaseIterable, Comparable {
    /// A known USB-UART bridge or an Espressif USB device.
    case likelyESP = "likely-esp"
    /// A port of the espwiz board simulator.
    case simulated
    /// Some other USB serial device.
    case usbSerial = "usb-serial"
    /// A serial port that is not on USB (e.g. a real motherboard COM port or a SoC UART).
    case otherSerial = "other-serial"
    /// Clearly not a board: virtual consoles, Bluetooth RFCOMM, unused 8250 UART slots, ptmx.
    case hidden

    /// Sort rank, lower first.
    public var rank: Int { PortCategory.allCases.firstIndex(of: self)! }

    public static func < (lhs: PortCategory, rhs: PortCategory) -> Bool { lhs.rank < rhs.rank }
}
