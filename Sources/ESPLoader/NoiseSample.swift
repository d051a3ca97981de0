/// Bytes that arrived outside any SLIP frame, kept to tell the user what the board was doing.
///
/// A readable sample means the board booted its firmware (app output); unreadable bytes are a
/// boot log at another baud rate (74880 on 26 MHz boards), line noise, or a wrong baud rate.
public struct NoiseSample: Equatable, Sendable, Codable {
    /// The first bytes seen (at most `capacity`).
    public private(set) var bytes: [UInt8] = []
    /// How many noise bytes were seen in total.
    public private(set) var totalCount = 0
    /// How many bytes are kept.
    public let capacity: Int

    /// Creates an empty sample keeping at most `capacity` bytes.
    public init(capacity: Int = 4096) { self.capacity = capacity }

    /// Creates a sample holding `bytes`.
    public init(_ bytes: [UInt8], capacity: Int = 4096) {
        self.capacity = capacity
        append(bytes)
    }

    /// True when nothing was seen.
    public var isEmpty: Bool { totalCount == 0 }

    /// Adds bytes, keeping the first `capacity`.
    public mutating func append(_ more: some Collection<UInt8>) {
        totalCount += more.count
        let room = capacity - bytes.count
        if room > 0 { bytes.append(contentsOf: more.prefix(room)) }
    }

    /// Forgets everything.
    public mutating func removeAll() {
        bytes.removeAll()
        totalCount = 0
    }

    /// Share of kept bytes that are printable ASCII, tab, CR or LF (0 when empty).
    public var printableFraction: Double {
        guard !bytes.isEmpty else { return 0 }
        let printable = bytes.filter { (0x20...0x7E).contains($0) || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }.count
        return Double(printable) / Double(bytes.count)
    }

    /// True when the bytes read mostly as text: the board is running firmware that prints.
    public var looksLikeText: Bool { bytes.count >= 8 && printableFraction >= 0.8 }

    /// A short excerpt for messages: text with unprintable bytes as `.`, at most `limit` characters.
    public func excerpt(limit: Int = 80) -> String {
        var out = ""
        for b in bytes.prefix(limit) {
            switch b {
            case 0x0A, 0x0D: out.append(" ")
            case 0x20...0x7E: out.append(Character(Unicode.Scalar(b)))
            default: out.append(".")
            }
        }
        return out
    }
}
