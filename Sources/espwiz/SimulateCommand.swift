#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import ArgumentParser
import ESPSimulator
import Foundation
import PortDiscovery

/// `espwiz simulate`: run a simulated ESP8266 board behind a pty until Ctrl-C, SIGTERM or `quit`.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run a simulated ESP8266 board behind a pseudo-terminal (for trying espwiz without hardware).",
        discussion: """
        Prints the pty path (open it like /dev/ttyUSB0) and the control socket path. Send control \
        commands one per line to the socket: status, dtr <0|1>, rts <0|1>, lines <dtr> <rts>, \
        hold-boot, release-boot, reset, unplug, replug, fault noise|drop <rate>, fault stall, \
        fault clear, dump-flash <file>, quit. A pty has no DTR/RTS, so use esptool with --before no-reset \
        (the board starts in download mode by default).
        """
    )

    @Option(name: .long, help: "Board profile id (see --list-profiles).")
    var profile: String = "nodemcu"

    @Option(name: .long, help: "Create a symlink at this path pointing at the pty (moved on replug).")
    var link: String?

    @Flag(name: .long, help: "Pace output at the baud rate and make erase/program take real flash time.")
    var realtime = false

    @Flag(name: .long, help: "With --realtime: the stub's MD5, decoding and blank scan take modelled chip time (docs/performance.md).")
    var chipTime = false

    @Flag(name: .long, help: "Start with a used board's flash: old firmware, a filesystem, stray sectors, SDK settings at the end.")
    var usedBoard = false

    @Option(name: .long, help: "Start state: bootloader (download mode) or firmware (booted from flash).")
    var state: String = "bootloader"

    @Option(name: .long, help: "Preload this file into flash at offset 0.")
    var flashImage: String?

    @Option(name: .long, help: "Control socket path (default: beside --link, else in the temporary folder).")
    var control: String?

    @Option(name: .long, help: "Give this board its own MAC: the last byte of the profile's MAC becomes this number (0-255), so several boards of one kind can be told apart.")
    var unit: UInt8?

    @Option(name: .customLong("max-baud"), help: "The highest rate this board's link carries cleanly (default: the profile's); above it bytes are damaged, as on a long cable or a weak USB bridge. E.g. --max-baud 115200 for a link noisy above 115200.")
    var maxBaud: Int?

    @Flag(name: .long, help: "List the board profiles and exit.")
    var listProfiles = false

    @Option(name: .long, help: ArgumentHelp("Instead of a simulated chip, answer with the replies recorded in this protocol trace (from --trace), in order.", valueName: "trace"))
    var replay: String?

    func run() throws {
        if listProfiles {
            for p in BoardProfile.all {
                let modes = p.supportedFlashModes.map(\.rawValue).joined(separator: ",")
                print("\(p.id.padding(toLength: 11, withPad: " ", startingAt: 0)) \(p.name); "
                      + "\(p.identity.chipName), \(p.flashSize >> 10) KB flash (JEDEC \(String(format: "%06x", p.jedec.raw))), "
                      + "\(p.crystalMHz) MHz crystal, \(p.bridge.chip) \(p.bridge.usbID), modes \(modes), "
                      + "max \(p.maxReliableBaud) baud, auto-reset \(p.hasAutoReset ? "yes" : "no"), MAC \(p.macText)")
            }
            return
        }
        if let replay { return try runReplay(tracePath: replay) }
        guard var chosen = BoardProfile.named(profile).map({ p in unit.map { p.unit($0) } ?? p }) else {
            throw ValidationError("Unknown profile '\(profile)'. Known profiles: \(BoardProfile.all.map(\.id).joined(separator: ", ")).")
        }
        if let maxBaud {
            guard maxBaud >= 9600 else { throw ValidationError("--max-baud \(maxBaud) is too low: give a rate of at least 9600 (e.g. 115200).") }
            chosen.maxReliableBaud = maxBaud
        }
        let board = chosen
        let start: ChipState
        switch state {
        case "bootloader": start = .bootloader
        case "firmware": start = .firmware
        default: throw ValidationError("--state must be bootloader or firmware, not '\(state)'.")
        }
        var image: [UInt8]?
        if let flashImage {
            guard let data = FileManager.default.contents(atPath: flashImage) else {
                throw ValidationError("Cannot read --flash-image \(flashImage). Check the path.")
            }
            guard data.count <= board.flashSize else {
                throw ValidationError("\(flashImage) is \(data.count) bytes but the \(board.id) board has only \(board.flashSize) bytes of flash.")
            }
            image = [UInt8](data)
        }
        var options = BoardOptions(profile: board, initialState: start, realtime: realtime, linkPath: link,
                                   controlSocketPath: control, flashImage: image)
        if chipTime { options.chipTime = .downloadMode(crystalMHz: board.crystalMHz) }
        options.usedBoard = usedBoard
        let simulator = try SimulatedBoard(options: options)
        try simulator.start()
        print("Simulating \(board.name) (\(board.id)), \(start.rawValue) state\(realtime ? ", realtime" : "").")
        print("pty: \(simulator.ptyPath)")
        if let link { print("link: \(link)") }
        if let socket = simulator.controlSocketPath { print("control: \(socket)") }
        let registry = SimulatorRegistry()
        let advertBox = AdvertBox()
        @Sendable func advertise(_ path: String?) {
            if let old = advertBox.current { registry.unregister(old) }
            advertBox.current = nil
            guard let path, let socket = simulator.controlSocketPath else { return }
            let advert = SimulatorAdvert(path: path, link: link, profile: board.id, profileName: board.name,
                                         controlSocket: socket, pid: getpid())
            if (try? registry.register(advert)) != nil { advertBox.current = advert }
        }
        advertise(simulator.ptyPath)
        simulator.onPTYChange = { path in advertise(path) }
        print("Press Ctrl-C to stop.")
        fflush(stdout)

        let stopSignals = [SIGINT, SIGTERM]
        for sig in stopSignals { signal(sig, SIG_IGN) }
        var sources: [DispatchSourceSignal] = []
        for sig in stopSignals {
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { simulator.stop() }
            source.resume()
            sources.append(source)
        }
        simulator.waitUntilStopped()
        simulator.stop()
        advertise(nil)
        sources.forEach { $0.cancel() }
        print("Simulator stopped.")
    }
}

/// The advert currently registered for this simulator (replaced on replug).
private final class AdvertBox: @unchecked Sendable {
    var current: SimulatorAdvert?
}
