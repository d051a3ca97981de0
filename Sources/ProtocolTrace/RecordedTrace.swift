/// A trace file read back: what the host sent and what the chip answered, in order.
///
/// Only what a replay needs is kept: the opcode of each command sent (data blocks are shortened in
/// the file, so their bytes are not), the exact bytes of each reply, and text in either direction.
public struct RecordedTrace: Equatable, Sendable {
    /// One recorded transfer.
    public enum Item: Equatable, Sendable {
        /// A frame the host sent; `opcode` is nil for frames that are not loader commands.
        case sentFrame(opcode: UInt8?, line: Int)
        /// Non-frame bytes the host sent (keys typed at a REPL).
        case sentText([UInt8], line: Int)
        /// Bytes the chip sent: a whole SLIP frame re-encoded from `hex=`, or text.
        case received([UInt8], line: Int)
        /// A received frame the trace only has in short (len/md5): it cannot be sent back.
        case receivedShortened(line: Int)
    }

    /// The transfers, in order.
    public var items: [Item]
    /// False when the trace was recorded with `--include-device-ids`.
    public var deviceIDsMasked: Bool
    /// The `#` header lines (without the `# `).
    public var header: [String]

    /// Creates a trace from its parts.
    public init(items: [Item], deviceIDsMasked: Bool, header: [String]) {
        self.items = items
        self.deviceIDsMasked = deviceIDsMasked
        self.header = header
    }
}
