import SerialTransport

/// Talks to a MicroPython friendly REPL over a serial link: gets a prompt, runs a line, returns its output.
public final class MicroPythonREPL {
    /// Why the REPL could not be used.
    public enum REPLError: Error, Equatable, CustomStringConvertible {
        /// No `>>> ` prompt appeared.
        case noPrompt(seenBytes: Int, sample: String)
        /// A command did not finish with a new prompt in time.
        case commandTimedOut(command: String, output: String)
        /// The serial link failed.
        case link(SerialError)

        /// Troubleshooting catalogue id.
        public var catalogueID: String {
            switch self {
            case .noPrompt, .commandTimedOut: "repl-no-answer"
            case .link(let e): e.catalogueID
            }
        }

        public var description: String {
            switch self {
            case .noPrompt(let n, let sample):
                n == 0
                    ? "MicroPython did not answer at 115200 baud: nothing was received. The firmware may not have started (check the boot log with `espwiz doctor`)."
                    : "MicroPython did not show its >>> prompt (received \(n) bytes, e.g. \"\(sample)\"). The firmware may be crashing or another program may run at boot."
            case .commandTimedOut(let c, let o):
                "MicroPython did not finish `\(c)` in time (output so far: \"\(o.suffix(120))\")."
            case .link(let e): e.description
            }
        }
    }

    private let link: any SerialLink
    /// Everything received so far, as bytes (searched byte-wise: `\r\n` is one Character in Swift).
    public private(set) var received: [UInt8] = []

    /// Everything received so far, as text (for the run record and diagnosis).
    public var transcript: String { String(decoding: received, as: UTF8.self) }

    /// Wraps a link already set to the REPL's baud rate (115200).
    public init(link: any SerialLink) { self.link = link }

    /// Reads until `marker` appears in what was received since `from`, or the time runs out.
    private func readUntil(_ marker: String, from start: Int = 0, timeout: Duration) throws(REPLError) -> Bool {
        let needle = Array(marker.utf8)
        // It may be here already (read together with an earlier marker).
        if MicroPythonREPL.find(needle, in: received, from: start) != nil { return true }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let left = deadline - ContinuousClock.now
            let bytes: [UInt8]
            do { bytes = try link.read(maxCount: 4096, timeout: min(left, .milliseconds(100))) } catch { throw .link(error) }
            if !bytes.isEmpty {
                received += bytes
                if MicroPythonREPL.find(needle, in: received, from: max(start, received.count - bytes.count - needle.count)) != nil { return true }
            }
        }
        return false
    }

    private func send(_ text: String) throws(REPLError) {
        do { try link.write(Array(text.utf8)) } catch { throw .link(error) }
    }

    /// Waits for the `>>> ` prompt, nudging the firmware with Ctrl-C and Ctrl-B (reprint banner) if it is quiet.
    ///
    /// - Parameters:
    ///   - bootWait: how long to listen first (first boot formats the filesystem, which takes seconds).
    ///   - nudgeWait: how long to wait after each nudge.
    public func waitForPrompt(bootWait: Duration = .seconds(6), nudgeWait: Duration = .seconds(2)) throws(REPLError) {
        if try listenForPrompt(timeout: bootWait) { return }
        try nudgeForPrompt(wait: nudgeWait)
    }

    /// Sends Enter: a running REPL answers with a fresh prompt (harmless while it still boots: the
    /// key waits in the UART buffer).
    public func sendEnter() throws(REPLError) { try send("\r") }

    /// Listens without sending anything; true when a `>>> ` prompt arrived within `timeout`.
    public func listenForPrompt(timeout: Duration) throws(REPLError) -> Bool {
        try readUntil(">>> ", from: received.count, timeout: timeout)
    }

    /// Sends Enter, Ctrl-C twice and Ctrl-B in turn until a prompt appears; throws `.noPrompt` when none does.
    public func nudgeForPrompt(wait: Duration = .seconds(2)) throws(REPLError) {
        for nudge in ["\r\n", "\u{03}\u{03}", "\u{02}"] {
            let mark = received.count
            try send(nudge)
            if try readUntil(">>> ", from: mark, timeout: wait) { return }
        }
        let sample = String(decoding: received.suffix(60), as: UTF8.self).unicodeScalars.map { $0.isASCII && $0.value >= 32 ? String($0) : "." }.joined()
        throw .noPrompt(seenBytes: received.count, sample: sample)
    }

    /// Sends Ctrl-B so the REPL prints its banner again, and returns the text received up to the prompt.
    public func requestBanner() throws(REPLError) -> String {
        let mark = received.count
        try send("\u{02}")
        _ = try readUntil(">>> ", from: mark, timeout: .seconds(3))
        return String(decoding: received[mark...], as: UTF8.self)
    }

    /// Runs one line at the prompt and returns what it printed (the echo included) up to the next prompt.
    ///
    /// A prompt with nothing but line ends before it is not the command's: it answers an Enter
    /// sent earlier (the boot check sends one while the firmware may still be starting, and the
    /// REPL answers it only after the banner's own prompt), so the command's end is the next one.
    public func run(_ line: String, timeout: Duration = .seconds(10)) throws(REPLError) -> String {
        let mark = received.count
        try send(line + "\r")
        let deadline = ContinuousClock.now + timeout
        var searchFrom = mark
        while true {
            guard try readUntil("\n>>> ", from: searchFrom, timeout: deadline - ContinuousClock.now),
                  let prompt = MicroPythonREPL.find(Array("\n>>> ".utf8), in: received, from: searchFrom) else {
                throw .commandTimedOut(command: line, output: String(decoding: received[mark...], as: UTF8.self))
            }
            let before = received[searchFrom..<prompt]
            if before.contains(where: { !MicroPythonREPL.isBlank($0) }) { break }
            searchFrom = prompt + 1
        }
        return String(decoding: received[mark...], as: UTF8.self)
    }

    /// Spaces, line ends and the `>>> ` of an earlier prompt: what an empty prompt line is made of.
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x0D || byte == 0x0A || byte == 0x20 || byte == UInt8(ascii: ">")
    }

    /// Index of the first occurrence of `needle` in `haystack` at or after `from`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var i = max(0, from)
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
