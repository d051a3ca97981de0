import ESPLoader
import ESPSimulator
import SerialTransport
import StubImage

/// A simulated board waiting in its bootloader, with a `LoaderClient` connected over its pty: the
/// set-up the loader, clean-flash and backup tests share.
public enum LoaderRig {
    /// Starts a board with `options`, connects to its ROM loader and, with `stub`, starts a RAM
    /// program (the simulator answers it as `options.stubDialect`'s stub); runs `body`; stops the board.
    public static func with<T>(_ options: BoardOptions, stub: Bool = false,
                               _ body: (SimulatedBoard, LoaderClient) throws -> T) throws -> T {
        let board = try SimulatedBoard(options: options)
        try board.start()
        defer {
            board.stop()
            board.waitUntilStopped()
        }
        let port = try SerialPort(path: board.ptyPath, baud: 115_200)
        defer { port.close() }
        let client = LoaderClient(link: port)
        try client.connect(strategies: [.noReset], attempts: 3)
        if stub {
            try client.uploadToRAM(segments: [RAMSegment(address: 0x4010_C000, data: [0x06, 0, 0, 0])], entry: 0x4010_C000)
            try client.waitForStubGreeting(timeout: .seconds(5))
            if options.stubDialect == .espwiz {
                // espwiz's stub needs its decoders (second stage) before any compressed write.
                try client.uploadToRAM(segments: StubImage.stage2Segments.map { RAMSegment(address: $0.address, data: $0.bytes) },
                                       entry: nil)
            }
        }
        return try body(board, client)
    }
}
