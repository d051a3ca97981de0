#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SerialTransport

/// A small serial terminal for the MicroPython prompt: keys go to the board, the board's output to
/// the screen, Ctrl-] leaves. The port is released on exit however the loop ends.
public final class SerialTerminal {
    /// The byte that ends the session (Ctrl-]).
    public static let exitByte: UInt8 = 0x1D

    private let link: any SerialLink
    private let input: Int32
    private let output: Int32

    /// Connects a link to the given descriptors (standard input and output by default).
    public init(link: any SerialLink, input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO) {
        self.link = link
        self.input = input
        self.output = output
    }

    /// Why the session ended.
    public enum Ending: Equatable, Sendable {
        /// The person pressed Ctrl-].
        case userQuit
        /// Standard input closed.
        case inputClosed
        /// The board's port went away.
        case portLost(SerialError)
    }

    /// Runs until Ctrl-], end of input, or the port is lost. Puts a terminal input into raw mode meanwhile.
    public func run() -> Ending {
        var saved = termios()
        let isTTY = isatty(input) == 1 && tcgetattr(input, &saved) == 0
        if isTTY {
            var raw = saved
            cfmakeraw(&raw)
            raw.c_oflag |= tcflag_t(OPOST | ONLCR)
            _ = tcsetattr(input, TCSANOW, &raw)
        }
        defer { if isTTY { _ = tcsetattr(input, TCSANOW, &saved) } }

        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            do {
                let fromBoard = try link.read(maxCount: 4096, timeout: .milliseconds(20))
                if !fromBoard.isEmpty { try FDIO.writeAll(fd: output, bytes: fromBoard, name: "stdout") }
            } catch {
                return .portLost(error)
            }
            var pfd = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 0) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n <= 0 {
                drainBoard()
                return .inputClosed
            }
            var keys = Array(buffer[0..<n])
            if let quit = keys.firstIndex(of: SerialTerminal.exitByte) {
                keys = Array(keys[..<quit])
                if !keys.isEmpty { try? link.write(keys) }
                return .userQuit
            }
            // A terminal sends Enter as CR, which MicroPython expects; a pipe sends LF: translate it.
            if !isTTY { keys = keys.map { $0 == 0x0A ? 0x0D : $0 } }
            do { try link.write(keys) } catch { return .portLost(error) }
        }
    }

    /// After the input closed (a script's last line), shows what the board still answers until it is quiet.
    private func drainBoard() {
        let deadline = ContinuousClock.now + .seconds(2)
        while ContinuousClock.now < deadline {
            guard let bytes = try? link.read(maxCount: 4096, timeout: .milliseconds(300)), !bytes.isEmpty else { return }
            try? FDIO.writeAll(fd: output, bytes: bytes, name: "stdout")
        }
    }
}
