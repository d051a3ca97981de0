import Foundation
import SerialTransport

/// `espwiz repl`: the MicroPython prompt in this terminal, with a line before and after saying how to leave.
public struct ReplSession {
    private let link: any SerialLink
    private let write: (String) -> Void

    /// A session over an open link (at 115200 baud); the link is closed when the session ends.
    public init(link: any SerialLink, write: @escaping (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) }) {
        self.link = link
        self.write = write
    }

    /// Runs until Ctrl-], end of input or the port is lost; always releases the port.
    @discardableResult
    public func run() -> SerialTerminal.Ending {
        defer { link.close() }
        write("Connected to \(link.name) at \(link.baud) baud. Ctrl-] leaves; Ctrl-D at >>> restarts MicroPython.\n")
        try? link.write([0x0D])   // a fresh prompt to start from
        let ending = SerialTerminal(link: link).run()
        switch ending {
        case .userQuit: write("\nLeft the MicroPython prompt; \(link.name) is released.\n")
        case .inputClosed: write("\nInput closed; \(link.name) is released.\n")
        case .portLost(let error): write("\nThe board's port went away: \(error)\n")
        }
        return ending
    }
}
