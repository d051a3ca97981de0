import BoardConsole
import ESPLoader
import SerialTransport

/// Reads the ROM's boot log after a reset and stops as soon as the log shows the hand-over to the firmware, else after a quiet spell.
///
/// Why not always wait for quiet: after the ROM's last line the firmware talks at its own rate
/// (MicroPython: 115200), so the bytes that follow are unreadable at the ROM's rate and waiting for
/// them to stop costs the whole quiet spell (400 ms) on every boot check. Once the log shows the
/// hand-over (`BootLogHandOver`), the capture lingers only `grace` for a `csum err` or a
/// second-stage loader's lines that may follow the `csum` line, then stops. Without a hand-over
/// (checksum error, blank flash, garbage, a port that cannot change rate) the old rule applies:
/// stop after `quiet` without data, or at `limit`.
///
/// What a real ESP8266 prints after the hand-over, and why none of it is lost: at the ROM's rate
/// the SDK's own start-up lines and, on a first boot after an erase, MicroPython's `Writing init
/// data` (esp_init_data.c, via ets_printf); at 115200 MicroPython's `Performing initial setup`,
/// banner and prompt (esp8266-rom-facts.md §10). `BootLogDecoder` reads none of the former, so
/// the only verdict the old 400 ms tail could still add was a second ROM banner (a crash within
/// 400 ms of the last byte): that board never shows a prompt, and the verifier's no-prompt path
/// listens at the ROM rate again and reports the loop, as it always did for slower loops.
struct BootLogCapture {
    /// How the capture ended.
    enum End: Equatable, Sendable {
        /// The log showed the hand-over and `grace` passed after it.
        case handOver(BootLogHandOver)
        /// The line was quiet for `quiet` after data.
        case quiet
        /// `limit` passed (no data at all, or data that never paused).
        case limit
    }

    /// What was read and why reading stopped.
    struct Result: Equatable {
        var text: String
        var end: End
        /// Clock time when the hand-over line was seen (nil without one).
        var handOverSeenAt: Duration?
        /// Clock time of the last byte received.
        var lastDataAt: Duration?
        /// Clock time when the capture returned.
        var endedAt: Duration
    }

    let link: any SerialLink
    var clock: any LoaderClock = SystemLoaderClock()
    /// The longest the capture reads.
    var limit: Duration = .seconds(2)
    /// The quiet spell that ends a capture without a hand-over.
    var quiet: Duration = .milliseconds(400)
    /// How long to keep reading after the hand-over line.
    ///
    /// The ROM prints `csum err` (or boot_v1.x its `2nd boot version` line) immediately after the
    /// `csum` line, so at 74880 baud it is on the wire within 2–3 ms; what delays it on the host is
    /// the USB bridge, which holds short bursts up to its latency timer (16 ms by default on FTDI
    /// chips, FTDI AN232B-04; CH340 and CP210x send sooner). 50 ms covers that with room for the
    /// host's scheduling, and is still far before MicroPython's banner on a real board (the SDK
    /// starts and the filesystem is mounted first), which then arrives at the new rate.
    var grace: Duration = .milliseconds(50)
    /// False when the text cannot be read (a port fixed at another rate): only the quiet rule applies.
    var watchHandOver = true

    /// Reads until the hand-over plus grace, the quiet spell after data, or the limit.
    func run() throws(SerialError) -> Result {
        var bytes: [UInt8] = []
        let start = clock.now()
        let deadline = start + limit
        var lastData: Duration?
        var seen: (at: Duration, kind: BootLogHandOver)?
        while true {
            let now = clock.now()
            // `seen` is re-read after every chunk, so a `csum err` within the grace has cleared it.
            if let seen, now >= seen.at + grace { return result(bytes, .handOver(seen.kind), seen.at, lastData) }
            if now >= deadline { return result(bytes, .limit, seen?.at, lastData) }
            if let lastData, now - lastData >= quiet { return result(bytes, .quiet, seen?.at, lastData) }
            var wait = min(deadline - now, .milliseconds(100))
            if let seen { wait = min(wait, seen.at + grace - now) }
            if let lastData { wait = min(wait, lastData + quiet - now) }
            let chunk = try link.read(maxCount: 4096, timeout: max(wait, .zero))
            guard !chunk.isEmpty else { continue }
            bytes += chunk
            lastData = clock.now()
            guard watchHandOver else { continue }
            let kind = BootLogHandOver.find(in: Self.text(bytes))
            if kind == .notYet {
                seen = nil  // `csum err` (or a second stage still talking): back to the quiet rule
            } else if seen?.kind != kind {
                seen = (clock.now(), kind)
            }
        }
    }

    private func result(_ bytes: [UInt8], _ end: End, _ seenAt: Duration?, _ lastData: Duration?) -> Result {
        Result(text: Self.text(bytes), end: end, handOverSeenAt: seenAt, lastDataAt: lastData, endedAt: clock.now())
    }

    private static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
