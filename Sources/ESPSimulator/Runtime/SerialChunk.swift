/// Bytes the simulated chip sends on UART0 at one baud rate (the ROM logs at 74880, MicroPython talks at 115200).
public struct SerialChunk: Equatable, Sendable, CustomStringConvertible {
    /// The UART baud rate the bytes are sent at; a host listening at another rate sees garbage.
    public var baud: Int
    /// The bytes, in order.
    public var bytes: [UInt8]

    /// Creates a chunk.
    public init(baud: Int, bytes: [UInt8]) {
        self.baud = baud
        self.bytes = bytes
    }

    /// Creates a chunk from text (UTF-8).
    public init(baud: Int, text: String) {
        self.init(baud: baud, bytes: Array(text.utf8))
    }

    /// The bytes decoded as UTF-8 (invalid sequences repaired), for tests and logs.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// `baud: "text"` with control characters escaped.
    public var description: String { "\(baud): \(text.debugDescription)" }
}

extension Array where Element == SerialChunk {
    /// Appends `bytes` at `baud`, merging with the last chunk when it has the same baud; empty input is ignored.
    mutating func append(baud: Int, bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        if let last = self.last, last.baud == baud {
            self[count - 1].bytes += bytes
        } else {
            append(SerialChunk(baud: baud, bytes: bytes))
        }
    }

    /// Appends `text` at `baud` (see `append(baud:bytes:)`).
    mutating func append(baud: Int, text: String) {
        append(baud: baud, bytes: [UInt8](text.utf8))
    }
}
