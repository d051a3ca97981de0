import SerialTransport

/// A serial port on another machine, reached through an RFC 2217 (serial over telnet) server:
/// rate changes and DTR/RTS go to the far port as COM-PORT-OPTION commands.
public final class RFC2217Link: SerialLink {
    public let name: String
    public private(set) var baud: Int
    /// The URL options (`?ign_set_control`, `timeout=`).
    public let options: RFC2217Options
    /// The last NOTIFY-MODEMSTATE value the server sent (CTS 0x10, DSR 0x20, RI 0x40, CD 0x80).
    public private(set) var modemState: UInt8?
    /// The server's SIGNATURE text, when it sent one.
    public private(set) var signature: String?

    let connection: TCPConnection
    private var parser = TelnetParser()
    private var telnet = TelnetOptions(wanted: [TelnetCode.binary, TelnetCode.suppressGoAhead, TelnetCode.comPortOption])
    private var comPortAgreed = false
    private var pending: [UInt8] = []
    private var answers: [UInt8: [UInt8]] = [:]
    private var purgeAnswered = true
    private var lines: RFC2217ModemLines?

    /// Connects, negotiates BINARY, SGA and COM-PORT-OPTION, and sets `baud` 8N1 on the far port.
    ///
    /// - Throws: `.remoteUnreachable` naming the fix when nothing listens, the server does not
    ///   speak RFC 2217, or it does not confirm the settings; `.unsupportedBaud` when its port refuses `baud`.
    public init(host: String, port: Int, options: RFC2217Options = RFC2217Options(), baud: Int, name: String? = nil) throws(SerialError) {
        self.name = name ?? "rfc2217://\(host):\(port)"
        self.options = options
        self.baud = baud
        connection = try TCPConnection.connect(host: host, port: port, timeout: .seconds(5), name: self.name)
        do {
            try negotiate()
            try setBaud(baud)
            for (command, value) in [(ComPortCommand.setDataSize, 8), (.setParity, 1), (.setStopSize, 1)] {
                try send(command, [UInt8(value)])
            }
            try send(.setControl, [ControlValue.noFlowControl])
            // Ask who the server is (not waited for): `espwiz serve` names its device, which a
            // run record can keep so install docs can show the server's side.
            try send(.signature, [])
            lines = RFC2217ModemLines(link: self)
        } catch {
            connection.close()
            throw error
        }
    }

    deinit { connection.close() }

    private func negotiate() throws(SerialError) {
        var hello: [UInt8] = []
        for option in [TelnetCode.binary, TelnetCode.suppressGoAhead, TelnetCode.comPortOption] {
            hello += TelnetEncoder.negotiation(TelnetCode.will, option)
            telnet.offered(option)
        }
        for option in [TelnetCode.binary, TelnetCode.suppressGoAhead] {
            hello += TelnetEncoder.negotiation(TelnetCode.do, option)
            telnet.requested(option)
        }
        try sendRaw(hello)
        let deadline = ContinuousClock.now + options.answerTimeout
        // A server that turns us away (busy, not allowed) says why in plain text, then hangs up.
        let said = { String(decoding: self.pending.filter { $0 >= 0x20 && $0 < 0x7F }, as: UTF8.self) }
        do {
            while !comPortAgreed && ContinuousClock.now < deadline {
                try pump(timeout: deadline - ContinuousClock.now)
            }
        } catch {
            if !said().isEmpty { throw .remoteUnreachable(url: name, problem: "the server refused the connection: \"\(said())\"") }
            throw error
        }
        guard comPortAgreed else {
            if !said().isEmpty { throw .remoteUnreachable(url: name, problem: "the server refused the connection: \"\(said())\"") }
            throw .remoteUnreachable(url: name, problem: "the server answered but did not agree to RFC 2217 (COM-PORT-OPTION). If it is a plain TCP-to-serial bridge, use socket://HOST:PORT and set the board's rate on the server; otherwise start the server in RFC 2217 mode (ser2net: `telnet(rfc2217)` accepter).")
        }
    }

    /// The DTR/RTS lines of the far port.
    public var modemLines: (any ModemLines)? { lines }

    public func setBaud(_ rate: Int) throws(SerialError) {
        guard rate > 0 else { throw .unsupportedBaud(path: name, baud: rate) }
        answers[ComPortCommand.setBaudRate.serverCode] = nil
        try send(.setBaudRate, TelnetEncoder.uint32(rate))
        guard let answer = try waitForAnswer(.setBaudRate, timeout: options.answerTimeout) else {
            throw .remoteUnreachable(url: name, problem: "the server did not confirm the change to \(rate) baud within \(options.answerTimeout). Check the server's log; a slow network needs ?timeout=SECONDS.")
        }
        guard TelnetEncoder.readUInt32(answer[...]) == rate else {
            throw .unsupportedBaud(path: name, baud: rate)
        }
        baud = rate
    }

    public func write(_ bytes: [UInt8]) throws(SerialError) {
        try sendRaw(TelnetEncoder.escape(bytes))
    }

    public func read(maxCount: Int, timeout: Duration) throws(SerialError) -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        while pending.isEmpty {
            let left = deadline - ContinuousClock.now
            if left <= .zero { return [] }
            try pump(timeout: left)
        }
        let count = min(max(1, maxCount), pending.count)
        let out = Array(pending[..<count])
        pending.removeFirst(count)
        return out
    }

    /// Asks the server to drop what its port received, and drops what is already on its way here:
    /// everything before the server's PURGE-DATA answer is stale.
    public func flushInput() throws(SerialError) {
        answers[ComPortCommand.purgeData.serverCode] = nil
        try send(.purgeData, [PurgeValue.receive])
        if purgeAnswered {
            // A server that never answers (some do not) is asked once, not waited for every time.
            purgeAnswered = try waitForAnswer(.purgeData, timeout: min(options.answerTimeout, .milliseconds(500))) != nil
        }
        while try pump(timeout: .zero) {}
        pending.removeAll()
    }

    /// TCP gives no end-of-transmission signal; bytes written are with the kernel already.
    public func drainOutput() {}

    public func close() {
        lines = nil
        connection.close()
    }

    // MARK: Protocol

    func send(_ command: ComPortCommand, _ value: [UInt8]) throws(SerialError) {
        try sendRaw(TelnetEncoder.comPort(command.rawValue, value))
    }

    private func sendRaw(_ bytes: [UInt8]) throws(SerialError) {
        do { try connection.write(bytes) } catch { throw lost(error) }
    }

    /// Waits for the server's answer to `command`; nil on timeout.
    func waitForAnswer(_ command: ComPortCommand, timeout: Duration) throws(SerialError) -> [UInt8]? {
        let deadline = ContinuousClock.now + timeout
        while answers[command.serverCode] == nil {
            let left = deadline - ContinuousClock.now
            if left <= .zero { return nil }
            try pump(timeout: left)
        }
        return answers.removeValue(forKey: command.serverCode)
    }

    func clearAnswer(_ command: ComPortCommand) { answers[command.serverCode] = nil }

    /// Reads one chunk from the socket and handles it; false when nothing arrived in `timeout`.
    @discardableResult
    private func pump(timeout: Duration) throws(SerialError) -> Bool {
        let chunk: [UInt8]
        do { chunk = try connection.read(maxCount: 16384, timeout: timeout) } catch { throw lost(error) }
        if chunk.isEmpty { return false }
        for event in parser.feed(chunk) {
            switch event {
            case .data(let bytes):
                pending += bytes
            case .negotiation(let verb, let option):
                if option == TelnetCode.comPortOption {
                    if verb == TelnetCode.do { comPortAgreed = true }
                    if verb == TelnetCode.dont { comPortAgreed = false }
                }
                if let reply = telnet.answer(verb: verb, option: option) { try sendRaw(reply) }
            case .subnegotiation(let payload):
                guard payload.count >= 2, payload[0] == TelnetCode.comPortOption else { continue }
                let code = payload[1]
                let value = Array(payload[2...])
                switch code {
                case ComPortCommand.notifyModemState.serverCode:
                    modemState = value.first
                case ComPortCommand.signature.serverCode:
                    signature = String(decoding: value, as: UTF8.self)
                case ComPortCommand.purgeData.serverCode:
                    // Data before this answer left the far port before the purge: stale.
                    pending.removeAll()
                    answers[code] = value
                case ComPortCommand.signature.rawValue:
                    try send(.signature, Array("espwiz".utf8)) // the server asks who we are
                default:
                    answers[code] = value
                }
            case .command, .oversizedSubnegotiation:
                continue
            }
        }
        return true
    }

    /// A closed connection, worded for a remote port.
    private func lost(_ error: SerialError) -> SerialError {
        guard case .disconnected = error else { return error }
        return .remoteUnreachable(url: name, problem: "the server closed the connection (it was stopped, the board's machine went away, or the network dropped). Start the server again and re-run espwiz; if this happened while writing, the board needs flashing again.")
    }
}

/// DTR/RTS of an RFC 2217 port: SET-CONTROL commands, confirmed unless `?ign_set_control`.
final class RFC2217ModemLines: ModemLines {
    private unowned let link: RFC2217Link

    init(link: RFC2217Link) { self.link = link }

    func setDTR(_ asserted: Bool) throws(SerialError) { try set(asserted ? ControlValue.dtrOn : ControlValue.dtrOff, line: "DTR") }

    func setRTS(_ asserted: Bool) throws(SerialError) { try set(asserted ? ControlValue.rtsOn : ControlValue.rtsOff, line: "RTS") }

    func setBoth(dtr: Bool, rts: Bool) throws(SerialError) {
        // RFC 2217 has no "both at once": two commands, DTR first (see ResetDetector for why a
        // server can still tell a reset from these).
        try setDTR(dtr)
        try setRTS(rts)
    }

    /// False once the server left a change unconfirmed: esptool's esp_rfc2217_server never
    /// confirms (it replays resets itself), ser2net does not when its device has no such lines.
    /// Then later changes are not waited for, and if the board does not reset, the flash
    /// engine's failed-reset detection falls back to the manual boot.
    private(set) var serverConfirms = true

    private func set(_ value: UInt8, line: String) throws(SerialError) {
        link.clearAnswer(.setControl)
        try link.send(.setControl, [value])
        guard !link.options.ignoreSetControlAnswer, serverConfirms else { return }
        if try link.waitForAnswer(.setControl, timeout: min(link.options.answerTimeout, .seconds(1))) == nil {
            serverConfirms = false
        }
    }
}
