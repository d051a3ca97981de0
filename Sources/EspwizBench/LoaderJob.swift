import ESPLoader
import ESPProtocol
import Foundation
import SerialTransport
import StubImage

/// A job the benchmark drives in-process through `LoaderClient` (no espwiz process): the blank
/// scan on its own, and a clean flash the way the engine's write phase does it with espwiz's stub
/// (CLEAN_BEGIN, LZMA write while the stub cleans in its idle time, CLEAN_FINISH, MD5), on a used board.
enum LoaderJob: Equatable, Sendable {
    /// FLASH_BLANK_SCAN of the first `bytes` of a used board's flash; only the scan is timed.
    case blankScan(bytes: Int)
    /// Connect at the rate, upload the stub, probe, scan, erase what the plan says, write, MD5.
    case cleanFlash

    /// Parses `blank-scan-1MB`, `blank-scan-2MB`, `blank-scan-4MB`, `clean-flash`.
    init?(name: String) {
        if name == "clean-flash" { self = .cleanFlash; return }
        guard name.hasPrefix("blank-scan-"), name.hasSuffix("MB"),
              let mb = Int(name.dropFirst("blank-scan-".count).dropLast(2)), mb > 0, mb <= 4 else { return nil }
        self = .blankScan(bytes: mb << 20)
    }

    /// How the row is labelled.
    var label: String {
        switch self {
        case .blankScan(let bytes): "blank scan alone, \(bytes >> 20) MB (espwiz stub)"
        case .cleanFlash: "espwiz clean flash through LoaderClient (background clean during the LZMA write, MD5)"
        }
    }

    /// Runs the job against `simulator` at `baud`; returns the timed wall seconds and a note.
    func run(simulator: SimulatorProcess, baud: Int, image: [UInt8]) throws -> (wall: Double, note: String) {
        let port = try SerialPort(path: simulator.ptyPath, baud: baud)
        defer { port.close() }
        let client = LoaderClient(link: port)
        let start = ContinuousClock.now
        try client.connect(strategies: [.noReset], attempts: 3)
        let info = try client.probe()
        try client.startStub(firstStage: StubImage.segments.map { RAMSegment(address: $0.address, data: $0.bytes) },
                             entry: StubImage.entry,
                             secondStage: StubImage.stage2Segments.map { RAMSegment(address: $0.address, data: $0.bytes) })
        let flashSize = info.flashSize ?? (4 << 20)
        switch self {
        case .blankScan(let bytes):
            let scanStart = ContinuousClock.now
            let map = try client.blankSectorMap(range: 0..<min(bytes, flashSize))
            return ((ContinuousClock.now - scanStart).seconds, "\(map.dirtySectorCount) dirty sectors")
        case .cleanFlash:
            let compressed = try CompressedImage(image, compression: .lzma)
            // As the engine does: the clean outside the image runs in the stub's idle time during
            // the write, which finishes it before its MD5.
            _ = try client.cleanOutside(image: 0..<image.count, flashSize: flashSize)
            try client.writeFlashCompressed(compressed, offset: 0, verify: true)
            let wall = (ContinuousClock.now - start).seconds
            return (wall, client.lastClean?.summary ?? "no clean")
        }
    }
}
