import Crypto
import ESPLoader
import ESPProtocol
import Foundation
import TestSupport

/// A started QEMU stub with a loader client that has seen its greeting, plus helpers the tests share.
final class StubSession {
    let emulator: StubEmulator
    let client: LoaderClient
    var connection: LoaderConnection { client.connection }

    /// The QEMU test build's flash size (hal_qemu.c).
    static let flashSize = 4 * 1024 * 1024

    /// Starts the emulator and waits for OHAI (bounded: a silent stub fails the test). With
    /// `loadDecoders` it then uploads the second stage (the decoders, READ_FLASH, the blank scan,
    /// the clean) with MEM_*, as the client does before the first command that needs it.
    init(countInstructions: Bool = false, loadDecoders: Bool = true) throws {
        emulator = try StubEmulator(countInstructions: countInstructions)
        client = LoaderClient(link: emulator.link)
        try client.waitForStubGreeting(timeout: .seconds(20))
        if loadDecoders {
            try client.uploadToRAM(segments: try StubSession.secondStage(), entry: nil)
        }
    }

    /// The QEMU build's second stage, as scripts/build-stub.sh --qemu writes it next to the ELF.
    static func secondStage() throws -> [RAMSegment] {
        struct Stage: Decodable {
            let stage2_text_start: UInt32
            let stage2_text: String
            let stage2_data_start: UInt32
            let stage2_data: String
        }
        let url = TestEnvironment.packageRoot.appendingPathComponent(".build/flasher-stub/espwiz-stub-qemu-stage2.json")
        let stage = try JSONDecoder().decode(Stage.self, from: Data(contentsOf: url))
        guard let text = Data(base64Encoded: stage.stage2_text), let data = Data(base64Encoded: stage.stage2_data) else {
            throw TestSetupError("\(url.path) holds invalid base64; run scripts/build-stub.sh --qemu")
        }
        return [RAMSegment(address: stage.stage2_text_start, data: [UInt8](text)),
                RAMSegment(address: stage.stage2_data_start, data: [UInt8](data))]
    }

    deinit { emulator.stop() }

    /// Sends a command expected to fail and returns the stub's error code (nil when it succeeded).
    func failure(of request: Request) throws -> StubErrorCode? {
        try failure(frame: request.framed(), opcode: request.opcode,
                    payloadLength: request.expectedResponsePayloadLength(loader: .stub))
    }

    /// Sends a pre-encoded frame and returns the stub's error code (nil when it succeeded).
    func failure(frame: [UInt8], opcode: Opcode, payloadLength: Int = 0) throws -> StubErrorCode? {
        do {
            try connection.command(frame: frame, opcode: opcode, payloadLength: payloadLength, timeout: .seconds(10))
            return nil
        } catch {
            if case .commandFailed(_, .stub(let code, _), _) = error { return code }
            throw error
        }
    }

    /// Sends compressed data as FLASH_DEFL_DATA blocks (16 KiB) and returns each block's status
    /// (nil for success) — for tests that feed the stub damaged streams.
    func sendDeflateBlocks(_ compressed: [UInt8], uncompressedSize: Int, offset: UInt32) throws -> [StubErrorCode?] {
        let blockSize = FlashGeometry.stubWriteBlockSize
        let blocks = (compressed.count + blockSize - 1) / blockSize
        try connection.command(.flashDeflBegin(uncompressedSize: UInt32(uncompressedSize), blocks: UInt32(blocks),
                                               blockSize: UInt32(blockSize), offset: offset))
        var results: [StubErrorCode?] = []
        for index in 0..<blocks {
            let chunk = Array(compressed[(index * blockSize)..<min((index + 1) * blockSize, compressed.count)])
            results.append(try failure(of: .flashDeflData(sequence: UInt32(index), data: chunk)))
        }
        return results
    }

    /// READ_REG address at which the QEMU test build answers CCOUNT (hal_qemu.c).
    static let ccountRegister: UInt32 = 0x7FFF_FFF0
    /// Instructions per CCOUNT tick under `-icount shift=0` (1 ns per instruction, 40 MHz CCOUNT).
    static let instructionsPerTick = 25

    /// Instructions the stub executes for `body` (its commands and their replies), measured as
    /// the CCOUNT difference between two READ_REGs; start the session with `countInstructions`.
    func instructions(_ body: () throws -> Void) throws -> Int {
        let before = try connection.readRegister(StubSession.ccountRegister, timeout: .seconds(10))
        try body()
        let after = try connection.readRegister(StubSession.ccountRegister, timeout: .seconds(10))
        return Int(after &- before) * StubSession.instructionsPerTick
    }

    static func md5(_ bytes: [UInt8]) -> [UInt8] { Array(Insecure.MD5.hash(data: bytes)) }

    /// Deterministic test data that is neither erased flash nor trivially compressible.
    static func pattern(count: Int, seed: UInt32) -> [UInt8] {
        var state = seed | 1
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            return UInt8(truncatingIfNeeded: state >> 8)
        }
    }
}
