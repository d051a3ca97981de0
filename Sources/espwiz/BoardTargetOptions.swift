import ArgumentParser

/// Which board to talk to: a serial port, detection, or a built-in simulated board.
struct BoardTargetOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Serial port (e.g. /dev/ttyUSB0, COM3, /dev/cu.usbserial-0001). Default: detect.")
    var port: String?

    @Option(help: "Practise on a built-in simulated board instead of real hardware: nodemcu, d1mini, esp01, esp01-512k, esp8285.")
    var simulate: String?
}
