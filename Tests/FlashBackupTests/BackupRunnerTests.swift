import ESPLoader
import ESPProtocol
import ESPSimulator
import FirmwareImage
import FlashBackup
import Foundation
import SerialTransport
import TestSupport
import Testing

/// `BackupRunner` and `RestoreRunner` against an in-process simulated board over its pty: the
/// file equals the flash, the sidecar says what it should, and faults leave nothing complete-looking.
@Suite(.serialized) struct BackupRunnerTests {
    /// A 4 MB flash: a NodeMCU-looking image at 0, a filesystem-like area and the SDK's last sectors.
    static func otherFirmwareFlash(size: Int = 4 << 20) -> [UInt8] {
        var flash = [UInt8](repeating: 0xFF, count: size)
        var image = SyntheticFirmware.filler(count: 0x2_3000, seed: 3)
        image[0] = 0xE9
        let banner = Array("NodeMCU 3.0.0.0 built on nodemcu-build.com provided by frightanic.com".utf8) + [0]
        image.replaceSubrange(0x4000..<(0x4000 + banner.count), with: banner)
        flash.replaceSubrange(0..<image.count, with: image)
        flash.replaceSubrange(0x10_0000..<0x10_5000, with: SyntheticFirmware.filler(count: 0x5000, seed: 4))
        flash.replaceSubrange(0x20_0123..<0x20_0200, with: [UInt8](repeating: 0x00, count: 0xDD))
        flash.replaceSubrange((size - 0x5000)..<size, with: SyntheticFirmware.filler(count: 0x5000, seed: 5))
        return flash
    }

    func withBoard(flash: [UInt8], realtime: Bool = false, _ body: (SimulatedBoard, LoaderClient, BoardInfo) throws -> Void) throws {
        let options = BoardOptions(profile: .nodemcu, initialState: .bootloader, realtime: realtime, controlSocket: false, flashImage: flash)
        try LoaderRig.with(options) { board, client in try body(board, client, try client.probe()) }
    }

    func folder() throws -> URL { try TestEnvironment.makeTemporaryDirectory("backup") }

    func entries(_ url: URL) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() }

    @Test func backupIsTheWholeFlashWithItsSidecar() throws {
        let flash = Self.otherFirmwareFlash()
        let dir = try folder()
        let path = dir.appendingPathComponent("b.bin").path
        try withBoard(flash: flash) { _, client, info in
            let result = try BackupRunner(client: client).backup(board: info, to: path)
            #expect(result.bytesSent < flash.count / 8)
            #expect(result.blankMap.dirtySectorCount == 46)
            let file = try #require(FileManager.default.contents(atPath: path))
            #expect(Array(file) == flash)
            let sidecar = try BackupSidecar.decode(try #require(FileManager.default.contents(atPath: path + ".json")))
            #expect(sidecar.md5 == Hex.string(MD5.digest(flash)))
            #expect(sidecar.chip == "ESP8266EX")
            #expect(sidecar.mac == "5c:cf:7f:1a:2b:3c")
            #expect(sidecar.flashSize == 4 << 20)
            #expect(sidecar.firmware?.kind == .nodemcu)
            #expect(sidecar.firmware?.version == "3.0.0.0")
            #expect(sidecar.blankMapSource == "scanning-read")
            #expect(sidecar.dirtySectors == 35 + 5 + 1 + 5)
        }
        #expect(try entries(dir) == ["b.bin", "b.bin.json"])
    }

    @Test func aRangeBackupHoldsOnlyThatRange() throws {
        let flash = Self.otherFirmwareFlash()
        let dir = try folder()
        let path = dir.appendingPathComponent("r.bin").path
        try withBoard(flash: flash) { _, client, info in
            let result = try BackupRunner(client: client).backup(board: info, range: 0x10_0000..<0x18_0000, to: path)
            #expect(result.sidecar.offset == 0x10_0000)
            #expect(result.sidecar.firmware == nil)
        }
        #expect(Array(try #require(FileManager.default.contents(atPath: path))) == Array(flash[0x10_0000..<0x18_0000]))
    }

    @Test func aSectorThatReadsWrongOnceIsReadAgain() throws {
        let flash = Self.otherFirmwareFlash()
        let dir = try folder()
        let path = dir.appendingPathComponent("f.bin").path
        try withBoard(flash: flash) { board, client, info in
            board.setFlakyRead(address: 0x10_2345, times: 1)
            let result = try BackupRunner(client: client).backup(board: info, to: path)
            #expect(result.sidecar.rereadOffsets == [0x10_0000])
        }
        #expect(Array(try #require(FileManager.default.contents(atPath: path))) == flash)
    }

    @Test func aSectorThatNeverReadsTheSameLeavesNoFile() throws {
        let dir = try folder()
        let path = dir.appendingPathComponent("u.bin").path
        try withBoard(flash: Self.otherFirmwareFlash()) { board, client, info in
            board.setFlakyRead(address: 0x10_2345, times: 1000)
            #expect(throws: LoaderError.self) { try BackupRunner(client: client).backup(board: info, to: path) }
        }
        #expect(try entries(dir).isEmpty)
    }

    @Test func thePortDisappearingMidBackupLeavesNoFile() throws {
        let dir = try folder()
        let path = dir.appendingPathComponent("p.bin").path
        // Paced at the baud rate, so the read is still running when the cable goes.
        try withBoard(flash: Self.otherFirmwareFlash(), realtime: true) { board, client, info in
            var unplugged = false
            #expect(throws: (any Error).self) {
                try BackupRunner(client: client).backup(board: info, to: path) { progress in
                    if !unplugged && progress.bytesWritten > 0 {
                        unplugged = true
                        // From another thread, as a cable pulled while the transfer runs (the
                        // board's serving thread may be blocked writing to this reader).
                        DispatchQueue.global().async { board.unplug() }
                    }
                }
            }
            #expect(unplugged)
        }
        #expect(try entries(dir).isEmpty)
    }

    @Test func restoreAfterAnotherFirmwareGivesTheSameFlash() throws {
        let flash = Self.otherFirmwareFlash()
        let dir = try folder()
        let path = dir.appendingPathComponent("rt.bin").path
        try withBoard(flash: flash) { board, client, info in
            _ = try BackupRunner(client: client).backup(board: info, to: path)
            // Something else is flashed: the chip erased and a MicroPython-like image written.
            try client.eraseFlash(chipSize: 4 << 20)
            let other = SyntheticFirmware().build()
            try client.writeFlashCompressed(image: other, offset: 0, compression: .lzma)
            board.writeFlash(offset: 0x30_0000, bytes: [UInt8](repeating: 0x11, count: 0x2000))
            let backup = try LoadedBackup(path: path)
            #expect(try RestoreRunner.check(backup, board: info, force: false).isEmpty)
            let result = try RestoreRunner(client: client).restore(backup, board: info)
            #expect(result.plan.writtenBytes == 46 * FlashGeometry.sectorSize)
            #expect(result.plan.erase.erasedBytes == 0x2000)
            #expect(board.flashContents() == flash)
        }
    }
}
