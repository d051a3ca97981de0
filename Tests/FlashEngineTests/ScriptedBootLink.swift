import ESPLoader
import SerialTransport

/// A serial link that plays back bytes at fixed times of its own virtual clock, which moves only
/// when a read waits: the boot-log capture's timing is tested without any real waiting.
///
/// Each scripted chunk arrives at its time; a read returns every chunk already due, or moves the
/// clock to the next chunk's time when that falls within the read's timeout, else by the timeout.
final class ScriptedBootLink: SerialLink, LoaderClock, @unchecked Sendable {
    private var script: [(at: Duration, bytes: [UInt8])]
    private(set) var time: Duration = .zero
    private(set) var baud = 74_880

    /// `script`: text arriving at the given millisecond, in order.
    init(_ script: [(milliseconds: Int, text: String)]) {
        self.script = script.map { (.milliseconds($0.milliseconds), Array($0.text.utf8)) }
    }

    var name: String { "scripted" }
    var modemLines: (any ModemLines)? { nil }

    func now() -> Duration { time }
    func sleep(for duration: Duration) { time += duration }

    func setBaud(_ rate: Int) throws(SerialError) { baud = rate }
    func write(_ bytes: [UInt8]) throws(SerialError) {}

    func read(maxCount: Int, timeout: Duration) throws(SerialError) -> [UInt8] {
        let due = time + timeout
        if let next = script.first, next.at <= due {
            time = max(time, next.at)
        } else {
            time = due
        }
        var out: [UInt8] = []
        while let next = script.first, next.at <= time {
            out += next.bytes
            script.removeFirst()
        }
        return out
    }

    func flushInput() throws(SerialError) {}
    func drainOutput() {}
    func close() {}
}
