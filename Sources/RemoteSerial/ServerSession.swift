import Foundation
import SerialTransport

/// One client of `espwiz serve`: telnet in both directions, COM-PORT-OPTION commands applied to
/// the local port, reset sequences replayed locally. Ends when the client goes.
final class ServerSession: @unchecked Sendable {
    let connection: TCPConnection
    private let link: any SerialLink
    private let startBaud: Int
    private let log: @Sendable (String) -> Void
    private var parser = TelnetParser()
    private var telnet = TelnetOptions(wanted: [TelnetCode.binary, TelnetCode.suppressGoAhead, TelnetCode.comPortOption])
    private var detector = ResetDetector()
    private let writeLock = NSLock()
    private let stopLock = NSLock()
    private var stopping = false
    private var lastBootReset: ContinuousClock.Instant?
    private var oversizedLogged = false
    private var bytesToBoard = 0
    private var bytesFromBoard = 0

    var peer: String { connection.peer }

    init(connection: TCPConnection, link: any SerialLink, startBaud: Int, log: @escaping @Sendable (String) -> Void) {
        self.connection = connection
        self.link = link
        self.startBaud = startBaud
        self.log = log
    }

    /// Asks the session to end (server stopping).
    func end() {
        stopLock.withLock { stopping = true }
        connection.close()
    }

    private var isStopping: Bool { stopLock.withLock { stopping } }

    /// Serves until the client leaves; returns a summary for the log. The port is left with both
    /// lines released (the board runs), at the server's starting rate, input discarded.
    func run() -> String {
        settle()
        var hello: [UInt8] = []
        for option in [TelnetCode.binary, TelnetCode.suppressGoAhead] {
            hello += TelnetEncoder.negotiation(TelnetCode.will, option)
            telnet.offered(option)
        }
        var reason = "disconnected"
        let pump = Thread { [self] in pumpFromBoard() }
        pump.name = "espwiz-serve-board"
        do {
            try send(hello)
            pump.start()
            while !isStopping {
                let chunk = try connection.read(maxCount: 16384, timeout: .milliseconds(200))
                if chunk.isEmpty { continue }
                try handle(parser.feed(chunk))
            }
            reason = "server stopping"
        } catch {
            reason = isStopping ? "server stopping" : describe(error)
        }
        stopLock.withLock { stopping = true }
        connection.close()
        while pump.isExecuting { usleep(5_000) }
        settle()
        return "\(reason); \(bytesToBoard) bytes to the board, \(bytesFromBoard) from it; port left with DTR/RTS released at \(startBaud) baud"
    }

    private func describe(_ error: any Error) -> String {
        if let serial = error as? SerialError, case .disconnected = serial { return "connection closed" }
        return "\(error)"
    }

    /// The known state between clients.
    private func settle() {
        try? link.modemLines?.setBoth(dtr: false, rts: false)
        if link.baud != startBaud { try? link.setBaud(startBaud) }
        try? link.flushInput()
    }

    /// Board to client, until the session stops.
    private func pumpFromBoard() {
        while !isStopping {
            let bytes: [UInt8]
            do {
                bytes = try link.read(maxCount: 4096, timeout: .milliseconds(50))
            } catch {
                if !isStopping {
                    if case .disconnected = error { log("\(link.name): the local port went away (\(error))") }
                    end()
                }
                return
            }
            guard !bytes.isEmpty else { continue }
            bytesFromBoard += bytes.count
            do {
                try send(TelnetEncoder.escape(bytes))
            } catch {
                // The client's side closed, not the board's port: name the right end in the log.
                if !isStopping { log("client \(peer) closed the connection while the board was answering (\(error))") }
                if !isStopping { end() }
                return
            }
        }
    }

    private func send(_ bytes: [UInt8]) throws(SerialError) {
        writeLock.lock()
        defer { writeLock.unlock() }
        try connection.write(bytes)
    }

    private func handle(_ events: [TelnetEvent]) throws {
        for event in events {
            switch event {
            case .data(let bytes):
                bytesToBoard += bytes.count
                try link.write(bytes)
            case .negotiation(let verb, let option):
                if let reply = telnet.answer(verb: verb, option: option) { try send(reply) }
            case .subnegotiation(let payload):
                guard payload.count >= 2, payload[0] == TelnetCode.comPortOption else { continue }
                try comPort(code: payload[1], value: Array(payload[2...]))
            case .oversizedSubnegotiation(let length):
                if !oversizedLogged { log("client \(peer) sent an oversized subnegotiation (\(length) bytes): ignored") }
                oversizedLogged = true
            case .command:
                continue
            }
        }
    }

    private func answer(_ command: ComPortCommand, _ value: [UInt8]) throws(SerialError) {
        try send(TelnetEncoder.comPort(command.serverCode, value))
    }

    private func comPort(code: UInt8, value: [UInt8]) throws {
        guard let command = ComPortCommand(rawValue: code) else { return }
        switch command {
        case .signature:
            try answer(.signature, Array("espwiz serve \(link.name)".utf8))
        case .setBaudRate:
            if let rate = TelnetEncoder.readUInt32(value[...]), rate > 0, rate != link.baud {
                do {
                    try link.setBaud(rate)
                } catch {
                    log("client \(peer) asked for \(rate) baud; \(link.name) refused it (\(error)); staying at \(link.baud)")
                }
            }
            try answer(.setBaudRate, TelnetEncoder.uint32(link.baud))
        case .setDataSize, .setParity, .setStopSize:
            // Only 8N1 (what every ESP8266 tool uses): answer with it whatever was asked.
            let fixed: UInt8 = command == .setDataSize ? 8 : 1
            if let asked = value.first, asked != 0, asked != fixed { log("client \(peer) asked for \(command) \(asked); only 8N1 is served") }
            try answer(command, [fixed])
        case .setControl:
            guard let v = value.first else { return }
            if let action = detector.apply(v) { replay(action) }
            let reply: UInt8 = v <= 3 ? ControlValue.noFlowControl : v
            try answer(.setControl, [reply])
        case .purgeData:
            if let v = value.first, v == PurgeValue.receive || v == PurgeValue.both { try? link.flushInput() }
            try answer(.purgeData, value.isEmpty ? [PurgeValue.receive] : [value[0]])
        case .setLineStateMask, .setModemStateMask:
            try answer(command, value)
        case .notifyLineState, .notifyModemState, .flowControlSuspend, .flowControlResume:
            return
        }
    }

    /// Drives the local lines with real timing (esptool's "unix tight" shape). A second bootloader
    /// reset within 3 s is a client retrying: it gets the long GPIO0 hold for slow reset circuits.
    private func replay(_ action: ResetDetector.Action) {
        guard let lines = link.modemLines else {
            log("client \(peer) asked for a \(action == .bootloaderReset ? "bootloader" : "hard") reset, but \(link.name) has no DTR/RTS: the board must be reset by hand")
            return
        }
        do {
            switch action {
            case .bootloaderReset:
                let retry = lastBootReset.map { ContinuousClock.now - $0 < .seconds(3) } ?? false
                lastBootReset = ContinuousClock.now
                let hold: Duration = retry ? .milliseconds(550) : .milliseconds(50)
                log("client \(peer): reset into the bootloader (replayed locally, GPIO0 held \(hold))")
                try lines.setBoth(dtr: false, rts: false)
                try lines.setBoth(dtr: true, rts: true)
                try lines.setBoth(dtr: false, rts: true)
                Thread.sleep(forTimeInterval: 0.1)
                try lines.setBoth(dtr: true, rts: false)
                Thread.sleep(forTimeInterval: retry ? 0.55 : 0.05)
                try lines.setBoth(dtr: false, rts: false)
            case .hardReset:
                log("client \(peer): hard reset (replayed locally)")
                try lines.setBoth(dtr: false, rts: true)
                Thread.sleep(forTimeInterval: 0.1)
                try lines.setBoth(dtr: false, rts: false)
            }
        } catch {
            log("\(link.name): driving DTR/RTS failed: \(error)")
        }
    }
}
