import ESPProtocol
import SerialTransport

/// One conversation with the chip's loader over a `SerialLink`: framed commands in, matching
/// responses out, with surplus frames skipped and noise kept for diagnosis.
///
/// Frames are read through a `SLIPDecoder`; frames that arrive after the awaited one stay queued
/// for the next command. Bytes outside frames are collected in `noise` (a ROM boot log or app
/// output there means the chip booted normally instead of into the bootloader).
public final class LoaderConnection {
    /// The byte link to the chip.
    public let link: any SerialLink
    /// Time source and sleeper (a fake in tests).
    public let clock: any LoaderClock
    /// Which loader answers: decides how status bytes are read and which commands exist.
    public var loaderKind: LoaderKind = .rom
    /// Bytes seen outside frames since the last `resetDiagnostics()`.
    public private(set) var noise = NoiseSample()
    /// Frames dropped because they were damaged (bad escape, impossible header) since the last reset.
    public private(set) var corruptFrames = 0
    /// True once a stub's `OHAI` greeting frame has been seen (even while waiting for something else).
    public internal(set) var stubGreetingSeen = false

    /// Most non-matching frames skipped while waiting for one response (esptool's limit).
    public static let maximumSkippedFrames = 100
    /// The `OHAI` frame payload a stub sends when it starts.
    public static let stubGreeting: [UInt8] = Array("OHAI".utf8)

    private var decoder = SLIPDecoder()
    private var pending: [[UInt8]] = []
    private var pendingHead = 0
    private static let readChunk = 4096

    /// Creates a connection over `link`.
    public init(link: any SerialLink, clock: any LoaderClock = SystemLoaderClock()) {
        self.link = link
        self.clock = clock
    }

    /// Forgets collected noise and the corrupt-frame count.
    public func resetDiagnostics() {
        noise.removeAll()
        corruptFrames = 0
    }

    /// Discards unread input on the port and every frame or partial frame already received.
    public func flushInput() throws(LoaderError) {
        do { try link.flushInput() } catch { throw .serial(error) }
        discardReceived()
    }

    /// Forgets received frames and any partial frame (noise already received is kept).
    public func discardReceived() {
        collectPendingNoise()
        pending.removeAll(keepingCapacity: true)
        pendingHead = 0
        decoder.reset()
    }

    // MARK: Commands

    /// Sends `request` and returns the loader's matching response, status checked.
    ///
    /// - Throws: `.timedOut` when no matching reply arrives, `.commandFailed` for a failure
    ///   status, `.unexpectedResponses` after 100 other frames, `.serial` when the port fails.
    @discardableResult
    public func command(_ request: Request, timeout: Duration = LoaderTimeouts.standard) throws(LoaderError) -> ResponsePacket {
        try command(frame: request.framed(), opcode: request.opcode,
                    payloadLength: request.expectedResponsePayloadLength(loader: loaderKind), timeout: timeout)
    }

    /// Sends a pre-encoded frame (written in one call) and waits for the response to `opcode`.
    @discardableResult
    public func command(frame: [UInt8], opcode: Opcode, payloadLength: Int = 0,
                        timeout: Duration = LoaderTimeouts.standard) throws(LoaderError) -> ResponsePacket {
        try write(frame)
        return try awaitResponse(opcode: opcode, payloadLength: payloadLength, timeout: timeout)
    }

    /// Writes raw bytes (a complete frame) in one call.
    public func write(_ bytes: [UInt8]) throws(LoaderError) {
        do { try link.write(bytes) } catch { throw .serial(error) }
    }

    /// Reads frames until a response to `opcode` arrives, then checks its status bytes.
    public func awaitResponse(opcode: Opcode, payloadLength: Int = 0, timeout: Duration) throws(LoaderError) -> ResponsePacket {
        let deadline = clock.now() + timeout
        var skipped = 0
        while true {
            guard let frame = try nextFrame(deadline: deadline) else { throw .timedOut(opcode, after: timeout) }
            guard frame.count >= 8, frame[0] == 0x01, frame[1] == opcode.rawValue else {
                if frame == LoaderConnection.stubGreeting { stubGreetingSeen = true }
                skipped += 1
                if skipped > LoaderConnection.maximumSkippedFrames { throw .unexpectedResponses(opcode, skipped: skipped) }
                continue
            }
            let response: ResponsePacket
            do { response = try ResponsePacket.decode(frame) } catch {
                corruptFrames += 1
                skipped += 1
                if skipped > LoaderConnection.maximumSkippedFrames { throw .malformedResponse(opcode, error.message) }
                continue
            }
            // A stub that does not know a command with a payload (esptool's stub and
            // FLASH_BLANK_SCAN) answers with the two status bytes alone: read its failure there.
            if payloadLength > 0, response.data.count == 2, let bare = response.status(payloadLength: 0),
               let failure = bare.failure(from: loaderKind) {
                throw .commandFailed(opcode, failure, loader: loaderKind)
            }
            guard let status = response.status(payloadLength: payloadLength) else {
                throw .malformedResponse(opcode, "\(response.data.count) data bytes, expected \(payloadLength) plus 2 status bytes")
            }
            if let failure = status.failure(from: loaderKind) {
                throw .commandFailed(opcode, failure, loader: loaderKind)
            }
            return response
        }
    }

    /// The next complete frame, or nil when `deadline` passes first.
    public func nextFrame(deadline: Duration) throws(LoaderError) -> [UInt8]? {
        while true {
            if pendingHead < pending.count {
                let frame = pending[pendingHead]
                pendingHead += 1
                if pendingHead == pending.count {
                    pending.removeAll(keepingCapacity: true)
                    pendingHead = 0
                }
                return frame
            }
            let remaining = deadline - clock.now()
            guard remaining > .zero else { return nil }
            let chunk: [UInt8]
            do { chunk = try link.read(maxCount: LoaderConnection.readChunk, timeout: remaining) } catch { throw .serial(error) }
            if chunk.isEmpty { continue }
            absorb(chunk)
        }
    }

    /// Reads and discards everything that arrives until `duration` has passed (keeps noise).
    public func drain(for duration: Duration) throws(LoaderError) {
        let deadline = clock.now() + duration
        while clock.now() < deadline {
            _ = try nextFrame(deadline: deadline)
        }
        discardPendingFrames()
    }

    /// Like `drain(for:)`, but stops early once `count` frames answering `opcode` arrived
    /// (0 means wait the whole `duration`). Everything received is discarded.
    public func drain(for duration: Duration, untilFrames count: Int, opcode: Opcode) throws(LoaderError) {
        guard count > 0 else { return try drain(for: duration) }
        let deadline = clock.now() + duration
        var seen = 0
        while seen < count, clock.now() < deadline {
            guard let frame = try nextFrame(deadline: deadline) else { break }
            if frame.count >= 2, frame[0] == 0x01, frame[1] == opcode.rawValue { seen += 1 }
        }
        discardPendingFrames()
    }

    private func discardPendingFrames() {
        pending.removeAll(keepingCapacity: true)
        pendingHead = 0
    }

    private func absorb(_ chunk: [UInt8]) {
        decoder.decode(chunk) { event in
            switch event {
            case .frame(let payload): pending.append(payload)
            case .noise(let bytes): noise.append(bytes)
            case .badEscape: corruptFrames += 1
            }
        }
    }

    /// Moves noise still buffered inside the decoder (no frame start after it yet) into `noise`.
    public func collectPendingNoise() {
        let rest = decoder.takeNoise()
        if !rest.isEmpty { noise.append(rest) }
    }

    // MARK: Registers

    /// READ_REG: the 32-bit value at `address`.
    public func readRegister(_ address: UInt32, timeout: Duration = LoaderTimeouts.standard) throws(LoaderError) -> UInt32 {
        try command(.readReg(address: address), timeout: timeout).value
    }

    /// WRITE_REG: `value` under `mask`, then `delayMicroseconds` pause on the chip.
    public func writeRegister(_ address: UInt32, _ value: UInt32, mask: UInt32 = 0xFFFF_FFFF,
                              delayMicroseconds: UInt32 = 0) throws(LoaderError) {
        try command(.writeReg(address: address, value: value, mask: mask, delayMicroseconds: delayMicroseconds))
    }
}
