import ESPProtocol
import Foundation
import Testing
import TestSupport
@testable import ESPSimulator

/// esptool 5.6.0 erasing, writing, verifying and reading back the real MicroPython image on a
/// simulated NodeMCU.
@Suite(.serialized) struct EsptoolFlashingTests {
    private let firmwarePath = TestEnvironment.micropythonFirmware.path
    private static var ready: Bool { EsptoolRunner.isAvailable && TestEnvironment.missingDependencies == nil }

    private func startBoard(_ profile: BoardProfile = .nodemcu, preload: UInt8? = nil) throws -> SimulatedBoard {
        let board = try SimulatedBoard(options: BoardOptions(profile: profile, controlSocket: false))
        if let preload { board.writeFlash(offset: 0, bytes: [UInt8](repeating: preload, count: profile.flashSize)) }
        try board.start()
        return board
    }

    @Test(.enabled(if: ready)) func eraseFlashBlanksTheChip() throws {
        let board = try startBoard(preload: 0x00)
        defer { board.stop() }
        let r = try EsptoolRunner.run(port: board.ptyPath, ["erase-flash"])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("Flash memory erased successfully"))
        #expect(board.flashContents().allSatisfy { $0 == 0xFF })
    }

    @Test(.enabled(if: ready), arguments: [115_200, 460_800])
    func stubWriteVerifyAndReadBack(baud: Int) throws {
        let image = try TestEnvironment.loadMicroPythonFirmware()
        let board = try startBoard(preload: 0x00)
        defer { board.stop() }
        let write = try EsptoolRunner.run(port: board.ptyPath, ["write-flash", "0", firmwarePath], globalOptions: ["--baud", String(baud)])
        #expect(write.status == 0, "\(write.output)")
        #expect(write.output.contains("Hash of data verified."))
        if baud > 115_200 { #expect(write.output.contains("Changing baud rate to \(baud)")) }
        // esptool v5 keeps the header by default (flash size "keep"): the bytes are the file's.
        #expect(board.readFlash(offset: 0, count: image.count) == image)
        // The stub erases whole sectors as it writes: the rest of the last sector is 0xFF and the
        // next sector keeps its old bytes.
        let end = image.count
        let sectorEnd = (end + 0xFFF) / 0x1000 * 0x1000
        #expect(board.readFlash(offset: end, count: sectorEnd - end).allSatisfy { $0 == 0xFF })
        #expect(board.readFlash(offset: sectorEnd, count: 16) == [UInt8](repeating: 0, count: 16))

        let verify = try EsptoolRunner.run(port: board.ptyPath, ["verify-flash", "0", firmwarePath])
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("Verification successful"))

        let dir = try TestEnvironment.makeTemporaryDirectory("simread")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("read.bin").path
        let read = try EsptoolRunner.run(port: board.ptyPath, ["read-flash", "0", String(image.count), out],
                                         globalOptions: ["--baud", String(baud)])
        #expect(read.status == 0, "\(read.output)")
        #expect(FileManager.default.contents(atPath: out).map { [UInt8]($0) } == image)
    }

    @Test(.enabled(if: ready)) func romOnlyWriteWithHeaderRewrite() throws {
        let image = try TestEnvironment.loadMicroPythonFirmware()
        let board = try startBoard(preload: 0x00)
        defer { board.stop() }
        let r = try EsptoolRunner.run(port: board.ptyPath,
                                      ["write-flash", "--flash-mode", "dio", "--flash-size", "4MB", "0", firmwarePath],
                                      globalOptions: ["--no-stub", "--baud", "460800"])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("ROM doesn't support changing baud rate"))
        #expect(r.output.contains("Took"))  // the ROM erased up front
        var expected = image
        expected[2] = FlashMode.dio.headerValue
        expected[3] = FlashSize.mb4.headerNibble << 4 | (image[3] & 0x0F)
        #expect(board.readFlash(offset: 0, count: image.count) == expected)
        #expect(board.status().imageFlashMode == "dio")
        // The ROM's erase (with esptool's workaround) covered exactly the image's sectors, plus at
        // most one extra sector when the count is odd.
        let sectors = (image.count + 0xFFF) / 0x1000
        let tail = board.readFlash(offset: sectors * 0x1000, count: 0x2000)
        #expect(tail[0x1000...].allSatisfy { $0 == 0 })

        let verify = try EsptoolRunner.run(port: board.ptyPath, ["verify-flash", "--flash-mode", "dio", "--flash-size", "4MB", "0", firmwarePath])
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("Verification successful"))
    }

    @Test(.enabled(if: EsptoolRunner.isAvailable)) func corruptedFlashDataChecksumGets0107OnTheWire() throws {
        let board = try startBoard()
        defer { board.stop() }
        let client = try PortClient(path: board.ptyPath)
        #expect(try client.sync())
        let begin = try client.command(Request.flashBegin(eraseSize: 0x1000, blocks: 1, blockSize: 0x400, offset: 0x10000).packet())
        #expect(begin?.data == [0, 0])
        var packet = Request.flashData(sequence: 0, data: [UInt8](repeating: 0x3C, count: 0x400)).packet()
        packet.checksum ^= 0xFF
        let bad = try client.command(packet)
        #expect(bad?.data == [0x01, 0x07])
        #expect(bad?.status()?.failure(from: .rom)?.isChecksumError == true)
        let good = try client.command(Request.flashData(sequence: 0, data: [UInt8](repeating: 0x3C, count: 0x400)).packet())
        #expect(good?.data == [0, 0])
        #expect(board.readFlash(offset: 0x10000, count: 0x400) == [UInt8](repeating: 0x3C, count: 0x400))
    }

    @Test(.enabled(if: ready)) func writingAboveTheBoardsReliableBaudFails() throws {
        // The D1 mini's CH340 link is only reliable up to 460800: at 921600 bytes get corrupted.
        let image = try TestEnvironment.loadMicroPythonFirmware()
        let board = try startBoard(.d1mini)
        defer { board.stop() }
        let r = try EsptoolRunner.run(port: board.ptyPath, ["write-flash", "0", firmwarePath], globalOptions: ["--baud", "921600"])
        #expect(r.status != 0)
        #expect(!r.output.contains("Hash of data verified."))
        #expect(board.readFlash(offset: 0, count: image.count) != image)
    }

    @Test(.enabled(if: ready)) func realtimeBoardStillTalksToEsptool() throws {
        let board = try SimulatedBoard(options: BoardOptions(profile: .esp01_512k, realtime: true, controlSocket: false))
        try board.start()
        defer { board.stop() }
        let r = try EsptoolRunner.run(port: board.ptyPath, ["flash-id"])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.fields["Detected flash size"] == "512KB")
        #expect(r.fields["MAC"] == BoardProfile.esp01_512k.macText)
    }
}
