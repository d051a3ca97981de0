#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import ArgumentParser
import FlashEngine
import Station
import ESPLoader
import ESPSimulator
import Foundation
import PortDiscovery
import RemoteSerial
import SerialTransport

/// `espwiz serve`: share local boards over RFC 2217 so espwiz or esptool on another machine can
/// flash them (`--port rfc2217://HOST:PORT`).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Share a board's serial port over the network (RFC 2217), for espwiz or esptool on another machine.",
        discussion: """
        Clients use --port rfc2217://HOST:PORT (esptool: rfc2217://HOST:PORT?ign_set_control). One client \
        at a time; a reset sequence from the client is replayed here with proper timing. Listens on \
        127.0.0.1 unless --listen names another address: RFC 2217 has no password or encryption, so \
        limit clients with --allow or use an SSH tunnel (ssh -L 4000:127.0.0.1:4000 HOST).
        """
    )

    @Option(name: [.customShort("p"), .customLong("port")], help: ArgumentHelp("Serial port to share (default: the one detected board). With --all, repeat it to choose the boards: paths or quoted globs ('/dev/ttyUSB*').", valueName: "port"))
    var ports: [String] = []

    /// The one port of a single share.
    private var port: String? { all ? nil : ports.last }

    @Option(help: "Address and TCP port to listen on (ADDR:PORT, [IPv6]:PORT or PORT). With --all, boards get consecutive ports.")
    var listen: String = "\(ListenAddress.defaultHost):\(ListenAddress.defaultPort)"

    @Option(help: "Only accept clients from this network (CIDR, e.g. 192.168.1.0/24, or one address).")
    var allow: String?

    @Flag(help: "Share every detected board, each on its own TCP port; each is reset once to read its MAC.")
    var all = false

    @Option(help: "Rate the port starts at and returns to between clients.")
    var baud: Int = 115_200

    @OptionGroup var traceOptions: TraceOptions

    func validate() throws {
        _ = try parsedListen()
        if let allow, AddressRange(allow) == nil {
            throw ValidationError("--allow '\(allow)' is not an address or network. Use CIDR such as 192.168.1.0/24, 10.0.0.5 or ::1/128.")
        }
        if !all && ports.count > 1 { throw ValidationError("--port can be repeated only with --all (share several boards, each on its own TCP port).") }
        if baud <= 0 { throw ValidationError("--baud must be a positive rate such as 115200.") }
    }

    private func parsedListen() throws -> ListenAddress {
        do { return try ListenAddress(parsing: listen) } catch { throw ValidationError("--listen: \(error.description)") }
    }

    func run() throws {
        let address = try parsedListen()
        let range = allow.flatMap(AddressRange.init)
        let ports = try chosenPorts()
        if !address.isLoopback {
            FileHandle.standardError.write(Data("""
            Warning: listening on \(address.host): anyone who can reach this address can use the board. RFC 2217 has \
            no password and no encryption. \(range.map { "Only \($0) is allowed (--allow)." } ?? "Limit clients with --allow CIDR,") \
            or keep the default 127.0.0.1 and use an SSH tunnel.\n
            """.utf8))
        }
        let trace = traceOptions.start(command: "serve")
        defer { trace.finish() }
        var servers: [ComPortServer] = []
        let log: @Sendable (String) -> Void = { line in
            let stamp = ISO8601DateFormatter().string(from: Date())
            FileHandle.standardError.write(Data("\(stamp) \(line)\n".utf8))
        }
        for (index, discovered) in ports.enumerated() {
            var bind = address
            if address.port != 0 { bind.port = address.port + index }
            let link = trace.wrap(try open(discovered))  // --trace: what crossed the local port, for every client
            let server: ComPortServer
            do { server = try ComPortServer(link: link, address: bind, allow: range, log: log) } catch {
                link.close()
                throw error
            }
            servers.append(server)
            let what = [discovered.bridge?.displayName, discovered.simulator.map { "simulated \($0.profile)" }].compactMap { $0 }.first
            let mac = all ? "  MAC \(Self.readMAC(link) ?? "unknown (the board did not answer an automatic reset)")" : ""
            print("Sharing \(discovered.devicePath)\(what.map { " (\($0))" } ?? "") at \(server.url)\(mac)")
        }
        if let first = servers.first {
            let host = address.isLoopback ? first.listener.address.description : "THIS-MACHINE:\(first.listener.address.port)"
            print("  espwiz:  espwiz flash --port rfc2217://\(host)")
            print("  esptool: esptool --port 'rfc2217://\(host)?ign_set_control' chip-id")
            print("Press Ctrl-C to stop.")
        }
        fflush(stdout)
        servers.forEach { $0.start() }
        let stop = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            sources.append(source)
        }
        stop.wait()
        servers.forEach { $0.stop() }
        servers.forEach { $0.link.close() }
        print("Stopped sharing.")
    }

    /// The ports to share: --port, every detected board with --all, or the single detected board.
    private func chosenPorts() throws -> [DiscoveredPort] {
        let found = PortScanner().scan().filter { $0.category != .hidden }
        if let port {
            if (try? PortURL.parse(port))?.isRemote == true {
                throw ValidationError("--port \(port) is already a remote port; espwiz serve shares a local device such as /dev/ttyUSB0.")
            }
            return [found.first { $0.devicePath == port || $0.simulator?.path == port }
                    ?? DiscoveredPort(name: port, devicePath: port, category: .otherSerial)]
        }
        if all && !ports.isEmpty {
            // Named boards, once each: the same selection as `flash --all --port`.
            if let remote = ports.first(where: { (try? PortURL.parse($0))?.isRemote == true }) {
                throw ValidationError("--port \(remote) is already a remote port; espwiz serve shares local devices such as /dev/ttyUSB0.")
            }
            let selection: PortSelection
            do { selection = try PortSelection.resolve(ports.map(PortSpec.init)) } catch {
                FileHandle.standardError.write(Data("espwiz serve: \(error.description)\n".utf8))
                throw ExitCode(EspwizExitCode.boardNotFound.rawValue)
            }
            for warning in selection.warnings { FileHandle.standardError.write(Data("! \(warning)\n".utf8)) }
            return selection.targets.map { target in
                found.first { $0.devicePath == target.name || PortSelection.realPath($0.devicePath) == target.identity }
                    ?? DiscoveredPort(name: target.name, devicePath: target.name, category: .otherSerial)
            }
        }
        let boards = found.filter { $0.category == .likelyESP || $0.category == .simulated }
        if all {
            guard !boards.isEmpty else { throw ValidationError("No boards detected to share. Plug one in (espwiz ports lists what is seen) or name it with --port.") }
            return boards
        }
        guard boards.count == 1, let only = boards.first else {
            let names = boards.map(\.devicePath).joined(separator: ", ")
            throw ValidationError(boards.isEmpty
                ? "No board detected. Plug one in (espwiz ports lists what is seen) or name it with --port."
                : "Several boards are connected (\(names)): name one with --port, or share them all with --all.")
        }
        return [only]
    }

    /// Resets the board into its bootloader, reads its MAC and restarts it into its firmware, so
    /// the person can tell the shared boards apart; nil when it does not answer.
    static func readMAC(_ link: any SerialLink) -> String? {
        let client = LoaderClient(link: link)
        defer {
            _ = try? client.hardReset()
            try? link.flushInput()
        }
        guard (try? client.connect(strategies: ResetStrategy.unixCycle, attempts: 4)) != nil else { return nil }
        return (try? client.probe())?.macAddress
    }

    /// Opens the port exclusively; a simulated board gets its DTR/RTS through its control socket.
    private func open(_ port: DiscoveredPort) throws -> any SerialLink {
        let serial = try SerialPort(path: port.devicePath, baud: baud)
        if let socket = port.simulator?.controlSocket, socket != "in-process" {
            return LinkWithModemLines(base: serial, lines: SimulatorControl(socketPath: socket).modemLines(name: port.devicePath))
        }
        if serial.modemLines == nil {
            FileHandle.standardError.write(Data("Note: \(port.devicePath) has no DTR/RTS lines: clients will be asked for a manual boot.\n".utf8))
        }
        return serial
    }
}
