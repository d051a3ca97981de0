import ArgumentParser

/// Which board to talk to: a serial port, detection, or a built-in simulated board.
struct BoardTargetOptions: ParsableArguments {
    @Option(name: [.customShort("p"), .customLong("port")], help: ArgumentHelp("Serial port (e.g. /dev/ttyUSB0, COM3, /dev/cu.usbserial-0001). Default: detect. With `flash --all`: repeat it, and paths, quoted globs ('/dev/ttyUSB*') and remote URLs are taken.", valueName: "port"))
    var ports: [String] = []

    /// The one port of a single-board command (the last one given).
    var port: String? { ports.last }

    /// Refuses several `--port` values where only one board is used.
    func requireSinglePort(_ command: String) throws {
        if ports.count > 1 {
            throw ValidationError("`espwiz \(command)` works on one board: give --port once. To flash several boards, use `espwiz flash --all --port A --port B FIRMWARE` or `espwiz station`.")
        }
    }

    @Option(help: "Practise on a built-in simulated board instead of real hardware: nodemcu, d1mini, esp01, esp01-512k, esp8285.")
    var simulate: String?
}
