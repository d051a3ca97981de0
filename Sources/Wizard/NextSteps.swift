import RemoteSerial

/// What to tell a person once MicroPython runs: how to reach its prompt on their platform.
public enum NextSteps {
    /// Lines on opening the REPL.
    ///
    /// - Parameters:
    ///   - port: the board's serial port.
    ///   - platform: `linux`, `macos` or `windows`.
    ///   - practiceProfile: set when the board was the built-in practice board.
    public static func replInstructions(port: String, platform: String, practiceProfile: String?) -> [String] {
        if let practiceProfile {
            return [
                "Open the MicroPython prompt (REPL) of a practice board any time with:",
                "    espwiz repl --simulate \(practiceProfile)",
                "With a real board, espwiz repl --port <its port> does the same. Ctrl-] leaves.",
            ]
        }
        if (try? PortURL.parse(port))?.isRemote == true { return remoteREPLInstructions(url: port) }
        var lines = [
            "Open the MicroPython prompt (REPL) any time with:",
            "    espwiz repl --port \(port)",
            "It talks at 115200 baud; Ctrl-] leaves, Ctrl-D at the prompt restarts MicroPython.",
        ]
        switch platform {
        case "macos":
            lines.append("Or with a program macOS already has: screen \(port) 115200 (leave with Ctrl-A then k).")
        case "windows":
            lines.append("Or with PuTTY: connection type Serial, line \(port), speed 115200.")
        default:
            lines.append("Or with picocom (sudo apt install picocom): picocom -b 115200 \(port) (leave with Ctrl-A Ctrl-X).")
            lines.append("If opening the port says 'permission denied': sudo usermod -aG dialout $USER, then log in again.")
        }
        return lines
    }

    /// For a board on another machine: picocom, screen and PuTTY cannot open a URL, and the
    /// dialout group is the far machine's business. espwiz and pySerial's miniterm take the URL.
    static func remoteREPLInstructions(url: String) -> [String] {
        [
            "Open the MicroPython prompt (REPL) any time with:",
            "    espwiz repl --port \(url)",
            "It talks at 115200 baud; Ctrl-] leaves, Ctrl-D at the prompt restarts MicroPython.",
            "The board is on another machine, so terminals that need a local port (picocom, screen, PuTTY) cannot reach it.",
            "Or with pySerial's terminal (installed with esptool): python -m serial.tools.miniterm '\(url)' 115200 (leave with Ctrl-]).",
        ]
    }
}
