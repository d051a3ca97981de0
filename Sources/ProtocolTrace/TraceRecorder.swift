import ESPProtocol
import Foundation

/// Turns trace events into timestamped lines and hands them to a sink (normally a `TraceFileWriter`).
///
/// Thread-safe: a REPL reads and writes the same link from two threads. Frames are found with one
/// `SLIPDecoder` per direction, so a reply split over several reads still becomes one line.
public final class TraceRecorder: @unchecked Sendable {
    /// The first line of every trace; `TraceParser` checks for it.
    public static let magic = "# espwiz protocol trace v1"

    private let lock = NSLock()
    private let start: ContinuousClock.Instant
    private let sink: (String) -> Void
    private let finish: () -> Void
    private let masker: DeviceIDMasker
    private let describer: FrameDescriber
    private var sentDecoder = SLIPDecoder()
    private var receivedDecoder = SLIPDecoder()
    private var lastReadAddress: UInt32?
    /// The last command sent (opcode, and sequence for data blocks) and whether a frame came back since:
    /// the same command again with no frame in between is a retry.
    private var lastSentKey: UInt64?
    private var framesSinceSent = 0
    private var retries = 0
    private var silentMilliseconds = 0.0
    private var silentReads = 0
    private var closed = false

    /// Creates a recorder writing lines to `sink` (no newline) and calling `finish` on `close()`.
    /// `header` lines (without `#`) follow the format line, e.g. the command and the date.
    public init(header: [String], masker: DeviceIDMasker, describer: FrameDescriber = FrameDescriber(),
                sink: @escaping (String) -> Void, finish: @escaping () -> Void = {}) {
        self.start = .now
        self.sink = sink
        self.finish = finish
        self.masker = masker
        self.describer = describer
        sink(TraceRecorder.magic)
        sink("# device ids: " + (masker.enabled ? "masked" : "included"))
        for line in header { sink("# " + masker.maskText(line)) }
        sink("# ms since start, event, fields; hex= is an unframed SLIP payload, long data is shortened to len/md5/first/last")
    }

    /// A recorder writing to a trace file.
    public convenience init(writer: TraceFileWriter, header: [String], masker: DeviceIDMasker) {
        self.init(header: header, masker: masker, sink: { writer.append($0) }, finish: { writer.close() })
    }

    /// Records one event.
    public func record(_ event: TraceEvent) {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        if case .silence(let ms, let reads) = event {
            silentMilliseconds += ms
            silentReads += reads
            return
        }
        let stamp = timestamp()
        emitSilence(stamp)
        switch event {
        case .open(let port, let baud): sink("\(stamp) OPEN port=\(masker.maskText(port)) baud=\(baud)")
        case .close(let port): sink("\(stamp) CLOSE port=\(masker.maskText(port))")
        case .baud(let rate): sink("\(stamp) BAUD \(rate)")
        case .lines(let dtr, let rts):
            let parts = [dtr.map { "dtr=\($0 ? 1 : 0)" }, rts.map { "rts=\($0 ? 1 : 0)" }].compactMap { $0 }
            sink("\(stamp) LINES " + parts.joined(separator: " "))
        case .flushInput: sink("\(stamp) FLUSH input")
        case .sent(let bytes): decodeSent(bytes, stamp)
        case .received(let bytes): decodeReceived(bytes, stamp)
        case .silence: break
        case .failure(let text): sink("\(stamp) ERROR " + masker.maskText(oneLine(text)))
        case .phase(let boundary, let name, let detail):
            sink("\(stamp) PHASE \(boundary.rawValue) \(name)" + (detail.isEmpty ? "" : " " + masker.maskText(oneLine(detail))))
        case .ladder(let text): sink("\(stamp) LADDER " + masker.maskText(oneLine(text)))
        case .note(let text): sink("\(stamp) NOTE " + masker.maskText(oneLine(text)))
        }
    }

    /// Writes pending lines and closes the sink; later events are ignored.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        let stamp = timestamp()
        emitSilence(stamp)
        sink("\(stamp) END")
        closed = true
        finish()
    }

    private func decodeSent(_ bytes: [UInt8], _ stamp: String) {
        sentDecoder.decode(bytes) { event in
            switch event {
            case .frame(let frame):
                if frame.count == 12, frame[0] == 0, frame[1] == Opcode.readReg.rawValue {
                    lastReadAddress = LittleEndian.u32(frame, at: 8)
                } else if frame.count > 1, frame[0] == 0 {
                    lastReadAddress = nil
                }
                sink("\(stamp) TX " + describer.describeSent(frame) + retrySuffix(frame))
            case .noise(let text): sink("\(stamp) TX-TEXT " + masker.maskText(TraceText.quote(text)))
            case .badEscape(let b): sink("\(stamp) TX-BAD escape=\(TraceHex.string([b]))")
            }
        }
        if !sentDecoder.isInsideFrame {
            let rest = sentDecoder.takeNoise()
            if !rest.isEmpty { sink("\(stamp) TX-TEXT " + masker.maskText(TraceText.quote(rest))) }
        }
    }

    private func decodeReceived(_ bytes: [UInt8], _ stamp: String) {
        receivedDecoder.decode(bytes) { event in
            switch event {
            case .frame(let frame):
                framesSinceSent += 1
                sink("\(stamp) RX " + describer.describeReceived(masker.maskReply(frame, readAddress: lastReadAddress)))
            case .noise(let text): sink("\(stamp) RX-TEXT " + masker.maskText(TraceText.quote(text)))
            case .badEscape(let b): sink("\(stamp) RX-BAD escape=\(TraceHex.string([b]))")
            }
        }
        if !receivedDecoder.isInsideFrame {
            let rest = receivedDecoder.takeNoise()
            if !rest.isEmpty { sink("\(stamp) RX-TEXT " + masker.maskText(TraceText.quote(rest))) }
        }
    }

    /// ` retry=N` when `frame` repeats the previous command and nothing came back in between.
    private func retrySuffix(_ frame: [UInt8]) -> String {
        guard frame.count >= 8, frame[0] == 0 else { return "" }
        var key = UInt64(frame[1]) << 32
        if frame.count >= 16, Opcode(rawValue: frame[1])?.carriesChecksum == true { key |= UInt64(LittleEndian.u32(frame, at: 12)) }
        defer { lastSentKey = key; framesSinceSent = 0 }
        guard key == lastSentKey, framesSinceSent == 0 else { retries = 0; return "" }
        retries += 1
        return " retry=\(retries)"
    }

    private func emitSilence(_ stamp: String) {
        guard silentReads > 0 else { return }
        let tenths = Int((silentMilliseconds * 10).rounded())
        sink("\(stamp) SILENT \(tenths / 10).\(tenths % 10)ms reads=\(silentReads)")
        silentMilliseconds = 0
        silentReads = 0
    }

    private func oneLine(_ text: String) -> String {
        text.contains("\n") ? text.split(separator: "\n").joined(separator: " / ") : text
    }

    /// Milliseconds since the start with microsecond digits, right-aligned to 11 characters.
    private func timestamp() -> String {
        let d = ContinuousClock.now - start
        let micros = d.components.seconds * 1_000_000 + d.components.attoseconds / 1_000_000_000_000
        let frac = String(micros % 1000)
        let text = "\(micros / 1000)." + String(repeating: "0", count: 3 - frac.count) + frac
        return String(repeating: " ", count: max(0, 11 - text.count)) + text
    }
}
