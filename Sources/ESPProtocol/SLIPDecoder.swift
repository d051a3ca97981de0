/// A streaming SLIP decoder that skips bytes between frames (boot-log noise) and reports bad escapes.
///
/// Feed it whatever the serial port returned; it hands back complete frames, the bytes it skipped
/// while waiting for a frame start, and escape errors. It never throws: a bad escape discards the
/// frame being built and decoding carries on with the next `C0`.
public struct SLIPDecoder: Sendable {
    /// What the decoder found in a chunk of input.
    public enum Event: Equatable, Sendable {
        /// A complete, unescaped frame payload (never empty).
        case frame([UInt8])
        /// Bytes seen outside any frame, e.g. a ROM boot log or line noise.
        case noise([UInt8])
        /// `0xDB` followed by something other than `0xDC`/`0xDD`; the frame was dropped.
        case badEscape(UInt8)
    }

    private enum State: Sendable { case idle, inFrame, escaped }
    private var state: State = .idle
    private var buffer: [UInt8] = []
    private var noise: [UInt8] = []
    /// Largest frame accepted; longer input is treated as noise (no frame is that large).
    public var maximumFrameLength: Int

    /// Creates a decoder waiting for the first frame start.
    public init(maximumFrameLength: Int = 64 * 1024) {
        self.maximumFrameLength = maximumFrameLength
        buffer.reserveCapacity(2048)
    }

    /// True while a frame has started and not yet ended.
    public var isInsideFrame: Bool { state != .idle }

    /// Forgets any partial frame and pending noise.
    public mutating func reset() {
        state = .idle
        buffer.removeAll(keepingCapacity: true)
        noise.removeAll()
    }

    /// Decodes a chunk and returns the events it completes, in order.
    public mutating func decode(_ chunk: some Sequence<UInt8>) -> [Event] {
        var events: [Event] = []
        decode(chunk) { events.append($0) }
        return events
    }

    /// Decodes a chunk, calling `handler` for each event as soon as it is complete.
    public mutating func decode(_ chunk: some Sequence<UInt8>, _ handler: (Event) -> Void) {
        for byte in chunk {
            switch state {
            case .idle:
                if byte == SLIP.end {
                    if !noise.isEmpty { handler(.noise(noise)); noise.removeAll() }
                    state = .inFrame
                    buffer.removeAll(keepingCapacity: true)
                } else {
                    noise.append(byte)
                }
            case .inFrame:
                if byte == SLIP.end {
                    if buffer.isEmpty { continue }  // "C0 C0": end of one frame, start of the next
                    handler(.frame(buffer))
                    buffer.removeAll(keepingCapacity: true)
                    state = .idle
                } else if byte == SLIP.esc {
                    state = .escaped
                } else {
                    append(byte, handler)
                }
            case .escaped:
                switch byte {
                case SLIP.escEnd: state = .inFrame; append(SLIP.end, handler)
                case SLIP.escEsc: state = .inFrame; append(SLIP.esc, handler)
                default:
                    handler(.badEscape(byte))
                    buffer.removeAll(keepingCapacity: true)
                    state = byte == SLIP.end ? .inFrame : .idle
                }
            }
        }
    }

    /// Returns and clears noise collected since the last frame start (for diagnostics).
    public mutating func takeNoise() -> [UInt8] {
        defer { noise.removeAll() }
        return noise
    }

    private mutating func append(_ byte: UInt8, _ handler: (Event) -> Void) {
        buffer.append(byte)
        if buffer.count > maximumFrameLength {
            handler(.noise(buffer))
            buffer.removeAll(keepingCapacity: true)
            state = .idle
        }
    }
}
