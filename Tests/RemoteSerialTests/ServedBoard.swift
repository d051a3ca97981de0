import ESPSimulator
import Foundation
import RemoteSerial
import SerialTransport

/// A simulated board behind a pty, shared by an in-process `ComPortServer` on a free loopback port,
/// its DTR/RTS wired to the board's reset circuit (as a USB adapter's would be).
final class ServedBoard: @unchecked Sendable {
    let board: SimulatedBoard
    let server: ComPortServer
    private let logLines = LogLines()

    init(profile: BoardProfile = .nodemcu, state: ChipState = .firmware, flashImage: [UInt8]? = nil,
         localLink: ((any SerialLink) -> any SerialLink)? = nil) throws {
        board = try SimulatedBoard(options: BoardOptions(profile: profile, initialState: state, controlSocket: false, flashImage: flashImage))
        try board.start()
        let port = try SerialPort(path: board.ptyPath, baud: 115_200)
        var link: any SerialLink = LinkWithModemLines(base: port, lines: board.modemLines())
        if let localLink { link = localLink(link) }
        let lines = logLines
        server = try ComPortServer(link: link, address: ListenAddress(host: "127.0.0.1", port: 0)) { lines.append($0) }
        server.start()
    }

    /// The TCP port the server listens on.
    var port: Int { server.listener.address.port }

    /// `rfc2217://127.0.0.1:PORT` plus `suffix`.
    func url(_ suffix: String = "") -> String { "rfc2217://127.0.0.1:\(port)\(suffix)" }

    /// The server's log so far.
    var log: [String] { logLines.all }

    func stop() {
        server.stop()
        server.link.close()
        board.stop()
    }
}

/// Log lines collected from server threads.
final class LogLines: @unchecked Sendable {
    private var lines: [String] = []
    private let lock = NSLock()
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
