#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import DocsRendering
import ESPLoader
import ESPProtocol
import FirmwareImage
import FlashEngine
import Foundation
import PortDiscovery
import RemoteSerial
import RunRecord
import SerialTransport

/// The wizard's steps 1 and 2: choosing the port (or the practice board) and walking through the manual boot.
extension GuidedWizard {
    // MARK: 1. Ports

    func choosePort() throws(WizardStop) -> PortChoice {
        heading(1, "Finding your board",
                "The board's USB chip (CH340, CP210x, ...) shows up as a serial port; espwiz talks to the ESP8266 through it.")
        if let profile = config.practiceProfile, practice == nil { return try startPractice(profile) }
        if let practice { return PortChoice(practice.port) }
        if let path = config.port {
            say("    Using \(path), as given with --port.\n")
            return connector.candidates(named: path)[0]
        }
        while true {
            let ports = connector.scanPorts().filter { $0.category != .hidden }
            if ports.isEmpty {
                say(indent(config.noPortsAdvice().text, by: 4))
                say("    r) look again (after plugging the board in or fixing the cause)\n")
                say("    p) practise on a built-in simulated board\n")
                say("    q) quit\n")
                let answer = try prompter.ask("What now?", default: "r", completion: .words(["r", "p", "q", "practice", "quit"])).lowercased()
                switch answer {
                case "p", "practice", "practise": return try startPractice(nil)
                case "q", "quit": throw .quit
                default: continue
                }
            }
            say("    Serial ports found (likely boards first):\n")
            for (i, port) in ports.enumerated() { say("    \(i + 1)) \(describe(port))\n") }
            say("    p) practise on a built-in simulated board   r) look again   q) quit\n")
            let paths = ports.map(\.devicePath)
            let words = paths + (1...ports.count).map(String.init) + ["practice", "rescan", "quit"]
            // Only a port that looks like a board is the default: a built-in UART such as /dev/ttyS0
            // never is, so Enter then looks again instead of resetting the wrong device.
            let likely = ports.first.map { $0.category == .likelyESP || $0.category == .simulated } ?? false
            if !likely { say("    None of these looks like an ESP board's USB adapter: plug the board in and look again (r), or practise (p).\n") }
            let answer = try prompter.ask("Which port? (number, or a path; Tab completes)", default: likely ? "1" : "r", completion: .words(words))
            switch answer.lowercased() {
            case "p", "practice", "practise": return try startPractice(nil)
            case "r", "rescan": continue
            case "q", "quit": throw .quit
            default: break
            }
            if let n = Int(answer), (1...ports.count).contains(n) { return PortChoice(ports[n - 1]) }
            if let port = ports.first(where: { $0.devicePath == answer || $0.simulator?.path == answer }) { return PortChoice(port) }
            if answer.hasPrefix("/") || answer.uppercased().hasPrefix("COM") {
                if FileManager.default.fileExists(atPath: answer) || answer.uppercased().hasPrefix("COM") { return PortChoice(path: answer) }
                say("    \(answer) does not exist. Pick a number from the list, or a path that exists.\n")
                continue
            }
            say("    '\(answer)' is not one of the choices. Type a number from 1 to \(ports.count), p, r or q.\n")
        }
    }

    func describe(_ port: DiscoveredPort) -> String {
        var parts = [port.devicePath]
        if let bridge = port.bridge { parts.append(bridge.displayName) }
        if let product = port.product { parts.append(product) }
        if port.hasUnexpectedDriver, let driver = port.driver { parts.append("(unexpected driver \(driver))") }
        return parts.joined(separator: "  ")
    }

    func startPractice(_ profile: String?) throws(WizardStop) -> PortChoice {
        let id: String
        if let profile {
            id = profile
        } else {
            say("    The practice board is simulated inside espwiz: it behaves like the real board, bootloader and all.\n")
            for p in config.practiceProfileIDs { say("      \(p)\n") }
            id = try prompter.ask("Which board to practise on?", default: "nodemcu", completion: .words(config.practiceProfileIDs))
        }
        guard let start = config.startPractice else {
            say("    No practice board is available in this build.\n")
            throw .cancelled
        }
        do {
            let board = try start(id)
            practice = board
            say("    Practice board \(board.profileName) is plugged in at \(board.path).\n")
            return PortChoice(board.port)
        } catch {
            say("    \(error)\n")
            if profile != nil { throw .cancelled }
            return try startPractice(nil)
        }
    }

    // MARK: 2. Manual boot

    func manualBoot(attempt: Int) -> Bool {
        var text = "\n    " + ManualBootPrompt.headline(attempt: attempt) + (attempt == 1 ? "\n" : " (attempt \(attempt))\n")
        // The same words as `espwiz flash`; the button diagram repeated them and wrapped at 80 columns.
        for line in ManualBootPrompt.instructions { text += "    \(line)\n" }
        if !manualBootShown {
            text += "    ESP-01 wiring for flashing:\n" + indent(WiringDiagram.text, by: 6)
            manualBootShown = true
        }
        if practice != nil { text += "    (Practice board: press Enter and espwiz does the buttons for you.)\n" }
        say(text)
        do {
            let answer = try prompter.ask("Press Enter when the board is in its bootloader (q to give up)", completion: .words(["q"]))
            if answer.lowercased().hasPrefix("q") { return false }
        } catch {
            pendingStop = error
            return false
        }
        practice?.manualBoot()
        return true
    }
}
