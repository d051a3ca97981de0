import ESPProtocol

/// The lines the ESP8266 mask ROM prints while it boots, each ending in CR LF.
///
/// The formats follow boot logs reported from real chips (trailing spaces included, e.g. after `room 16`).
enum ROMBootLog {
    /// First output after any reset: empty line, ` ets Jan  8 2013,rst cause:N, boot mode:(x,y)`, empty line.
    static func banner(cause: ResetCause, strapping: BootStrapping) -> String {
        "\r\n ets Jan  8 2013,rst cause:\(cause.rawValue), boot mode:(\(strapping.x),\(strapping.y))\r\n\r\n"
    }

    /// Printed after the banner when the hardware watchdog caused the reset.
    static let watchdogReset = "wdt reset\r\n"

    /// Printed in SDIO boot mode (GPIO15 high).
    static let waitingForHost = "waiting for host\r\n"

    /// The ROM gives up (bad checksum, no image): it names its source file and stops.
    static let romStopped = "ets_main.c \r\n"

    /// Start of one segment: address, signed length and bytes left in the ROM's 16-byte read buffer.
    static func load(address: UInt32, length: Int32, room: Int) -> String {
        "load \(Hex.format(address, digits: 8)), len \(length), room \(room) \r\n"
    }

    /// End of one segment: unaligned tail and the running checksum.
    static func segmentEnd(tail: Int, checksum: UInt8) -> String {
        "tail \(tail)\r\nchksum \(Hex.format(checksum, digits: 2))\r\n"
    }

    /// Printed when fewer than 8 bytes (one segment header) are left in the read buffer.
    static func headerSplit(offset: Int, tail: Int, room: Int) -> String {
        "ho \(offset) tail \(tail) room \(room)\r\n"
    }

    /// Final computed checksum.
    static func finalChecksum(_ checksum: UInt8) -> String {
        "csum \(Hex.format(checksum, digits: 2))\r\n"
    }

    /// Printed when the computed checksum differs from the image's checksum byte.
    static let checksumError = "csum err\r\n"
}
