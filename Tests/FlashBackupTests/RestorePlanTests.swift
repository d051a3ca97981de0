import ESPLoader
import ESPProtocol
import FlashBackup
import Foundation
import Testing

/// The restore planner and the board check (pure).
@Suite struct RestorePlanTests {
    static let sector = FlashGeometry.sectorSize

    @Test func writesNonBlankSectorsAndErasesTheBoardsOtherDirtySectors() {
        var image = [UInt8](repeating: 0xFF, count: 64 * Self.sector)
        image[0] = 1
        image[Self.sector + 5] = 2          // sectors 0 and 1: one region
        image[10 * Self.sector] = 3         // sector 10
        var dirty = [Bool](repeating: false, count: 64)
        dirty[1] = true; dirty[20] = true; dirty[21] = true
        let map = BlankMap(range: 0..<(64 * Self.sector), dirty: dirty, source: .blankScan)
        let plan = RestorePlan(image: image, offset: 0, boardMap: map, flashSize: 64 * Self.sector)
        #expect(plan.writeRegions == [0..<(2 * Self.sector), (10 * Self.sector)..<(11 * Self.sector)])
        #expect(plan.erase.eraseRanges == [(20 * Self.sector)..<(22 * Self.sector)])
    }

    @Test func aRangeBackupNeverErasesOutsideItsRange() {
        // A backup of sectors 4..<12 on a board whose every sector is dirty: only 4..<12 may be erased.
        let image = [UInt8](repeating: 0xFF, count: 8 * Self.sector)
        let map = BlankMap(range: (4 * Self.sector)..<(12 * Self.sector), dirty: [Bool](repeating: true, count: 8), source: .blankScan)
        let plan = RestorePlan(image: image, offset: 4 * Self.sector, boardMap: map, flashSize: 32 * Self.sector)
        #expect(plan.writeRegions.isEmpty)
        #expect(plan.erase.eraseRanges == [(4 * Self.sector)..<(12 * Self.sector)])
    }

    static func board(chip: String = "ESP8266EX", flashSize: Int) -> BoardInfo {
        BoardInfo(chipName: chip, isESP8285: false, features: [], macAddress: nil, chipID: 0, crystalMHz: 26, crystalEstimateMHz: 26,
                  flashSize: flashSize, flashVendor: nil, embeddedFlashSize: nil, loader: .stub, chipMagic: 0xFFF0_C101,
                  efuses: [0, 0, 0, 0], uartDivider: 0, probeBaud: 115_200, jedecID: 0x1640EF)
    }

    static func backup(size: Int, chip: String = "ESP8266EX") throws -> LoadedBackup {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("espwiz-restore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let image = [UInt8](repeating: 0xFF, count: size)
        let md5 = MD5.digest(image)
        let path = dir.appendingPathComponent("b.bin").path
        let sidecar = BackupSidecar(imageFile: "b.bin", chip: chip, mac: nil, flashID: "0x1640ef", flashSize: size, offset: 0, size: size,
                                    createdAt: Date(), md5: Hex.string(md5), firmware: nil, dirtySectors: 0,
                                    totalSectors: size / sector, blankMapSource: "blank-scan")
        try BackupFileWriter().write(image: image, sidecar: sidecar, to: path, expectedMD5: md5)
        return try LoadedBackup(path: path)
    }

    @Test func anotherFlashSizeIsRefusedNamingBoth() throws {
        let backup = try Self.backup(size: 1 << 20)
        #expect(throws: BackupError.boardMismatch(what: "flash size", backup: "1048576 bytes", board: "4194304 bytes")) {
            try RestoreRunner.check(backup, board: Self.board(flashSize: 4 << 20), force: false)
        }
        // Forced, a smaller backup fits and the difference is reported.
        #expect(try RestoreRunner.check(backup, board: Self.board(flashSize: 4 << 20), force: true).count == 1)
    }

    @Test func anotherChipIsRefusedAndALargerBackupNeverFits() throws {
        let backup = try Self.backup(size: 1 << 20, chip: "ESP8285N08")
        #expect(throws: BackupError.boardMismatch(what: "chip", backup: "ESP8285N08", board: "ESP8266EX")) {
            try RestoreRunner.check(backup, board: Self.board(flashSize: 1 << 20), force: false)
        }
        #expect(throws: BackupError.doesNotFit(imageEnd: 1 << 20, flashSize: 512 << 10)) {
            try RestoreRunner.check(backup, board: Self.board(flashSize: 512 << 10), force: true)
        }
    }
}
