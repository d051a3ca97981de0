#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import ArgumentParser
import FlashEngine
import Foundation
import PortDiscovery
import RemoteSerial
import RunRecord
import SerialTransport
import PracticeBoards
import Wizard

/// `espwiz repl`: a small serial terminal for the MicroPython prompt.
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Open the MicroPython prompt of a board in this terminal (115200 baud, Ctrl-] leaves).",
        discussion: """
        Keys go to the board as typed (Tab completion, Ctrl-C and Ctrl-D are MicroPython's); Ctrl-] \
        leaves and releases the port. With --simulate a practice board boots with MicroPython in \
        its flash: the file given with --firmware, else the one of your last successful flash.
        """)

    @OptionGroup var target: BoardTargetOptions

    @OptionGroup var traceOptions: TraceOptions
    func validate() throws { try target.requireSinglePort("repl") }

    @Option(help: "With --simulate: the MicroPython .bin to preload (default: the firmware of the last successful run).")
    var firmware: String?

    @Flag(name: .customLong("boot-log"), help: "First reset the board and show its 74880-baud ROM boot log, decoded.")
    var bootLog = false

    func run() throws {
        var practice: PracticeBoard?
        defer { practice?.stop() }
        let connector = BoardConnector.system()
        let path: String
        if let profile = target.simulate {
            let image = try firmwareImage()
            do { practice = try PracticeBoard(profileID: profile, flashImage: image) } catch {
                throw ValidationError("\(error)")
            }
            path = practice!.path
            Thread.sleep(forTimeInterval: 0.3)   // let it boot before the first key
        } else if let port = target.port {
            path = port
        } else {
            let ports = connector.scanPorts().filter { $0.category == .likelyESP || $0.category == .simulated }
            guard ports.count == 1 else {
                if ports.isEmpty {
                    print(NoPortsAdvice(services: SystemServices.check(), userGroups: UserGroups.current()).text)
                    throw ExitCode(EspwizExitCode.boardNotFound.rawValue)
                }
                throw ValidationError("Several boards found; choose one with --port: \(ports.map(\.devicePath).joined(separator: ", "))")
            }
            path = ports[0].devicePath
        }
        let link: any SerialLink
        do { link = try connector.open(PortChoice(path: path), baud: 115_200) } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(EspwizExitCode.boardNotFound.rawValue)
        }
        if bootLog {
            // A practice board's pty has no modem lines of its own: reset it through the simulator's.
            let viewed: any SerialLink = practice.map { LinkWithModemLines(base: link, lines: $0.board.modemLines()) } ?? link
            do { try BootLogViewer(link: viewed).show() } catch {
                FileHandle.standardError.write(Data("Could not read the boot log: \(error)\n".utf8))
            }
        }
        let trace = traceOptions.start(command: "repl")
        defer { trace.finish() }
        if case .portLost = ReplSession(link: trace.wrap(link)).run() { throw ExitCode.failure }
    }

    /// The image to preload into a practice board.
    private func firmwareImage() throws -> [UInt8] {
        let path: String
        if let firmware {
            path = firmware
        } else if let last = lastFlashedFirmware() {
            path = last
        } else {
            throw ValidationError("No firmware to preload: give one with --firmware FILE.bin (or flash a practice board with espwiz first).")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("Cannot read \(path). Check the path, or give another with --firmware.")
        }
        return [UInt8](data)
    }

    /// The firmware path of the newest successful run record.
    private func lastFlashedFirmware() -> String? {
        let folder = StateDirectory.standard().runsFolder
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names.filter({ $0.hasSuffix(".json") }).sorted().reversed() {
            guard let record = try? RunRecordStore.load(from: folder.appendingPathComponent(name)),
                  record.result == .success, let path = record.firmware?.path,
                  FileManager.default.fileExists(atPath: path) else { continue }
            return path
        }
        return nil
    }
}
