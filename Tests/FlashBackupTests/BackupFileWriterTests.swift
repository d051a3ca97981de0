import ESPLoader
import ESPProtocol
import FlashBackup
import Foundation
import TestSupport
import Testing

/// The temporary-name-then-rename writer: a finished backup is the image and its sidecar; a
/// failed one leaves nothing behind.
@Suite struct BackupFileWriterTests {
    static let image: [UInt8] = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 * 7) }

    static func sidecar(md5: String) -> BackupSidecar {
        BackupSidecar(imageFile: "x.bin", chip: "ESP8266EX", mac: "5c:cf:7f:1a:2b:3c", flashID: "0x1640ef", flashSize: 4 << 20,
                      offset: 0, size: image.count, createdAt: Date(timeIntervalSince1970: 1_800_000_000), md5: md5,
                      firmware: nil, dirtySectors: 5, totalSectors: 5, blankMapSource: "blank-scan")
    }

    func contents(_ url: URL) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() }

    @Test func writesImageAndSidecarUnderTheirNames() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("writer")
        let md5 = MD5.digest(Self.image)
        let path = dir.appendingPathComponent("x.bin").path
        try BackupFileWriter().write(image: Self.image, sidecar: Self.sidecar(md5: Hex.string(md5)), to: path, expectedMD5: md5)
        #expect(try contents(dir) == ["x.bin", "x.bin.json"])
        let loaded = try LoadedBackup(path: path)
        #expect(loaded.image == Self.image)
        #expect(loaded.sidecar == Self.sidecar(md5: Hex.string(md5)))
    }

    @Test func anExistingFileIsNeverOverwritten() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("writer")
        let md5 = MD5.digest(Self.image)
        let path = dir.appendingPathComponent("x.bin").path
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        #expect(throws: BackupError.outputExists(path)) {
            try BackupFileWriter().write(image: Self.image, sidecar: Self.sidecar(md5: Hex.string(md5)), to: path, expectedMD5: md5)
        }
        #expect(FileManager.default.contents(atPath: path) == Data([1, 2, 3]))
        #expect(try contents(dir) == ["x.bin"])
    }

    @Test func aFolderAsOutputIsRefused() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("writer")
        let md5 = MD5.digest(Self.image)
        #expect(throws: BackupError.outputIsDirectory(dir.path)) {
            try BackupFileWriter().write(image: Self.image, sidecar: Self.sidecar(md5: Hex.string(md5)), to: dir.path, expectedMD5: md5)
        }
        #expect(try contents(dir).isEmpty)
    }

    @Test func aFullDiskFailsWithItsReasonAndLeavesNothing() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("writer")
        let md5 = MD5.digest(Self.image)
        let writer = BackupFileWriter(imageSinkOverride: "/dev/full")
        do throws(BackupError) {
            try writer.write(image: Self.image, sidecar: Self.sidecar(md5: Hex.string(md5)), to: dir.appendingPathComponent("x.bin").path, expectedMD5: md5)
            Issue.record("writing to /dev/full succeeded")
        } catch {
            guard case .writeFailed(_, let reason) = error else { Issue.record("unexpected \(error)"); return }
            #expect(reason == String(cString: strerror(ENOSPC)))
            #expect(error.catalogueID == "backup-write-failed")
        }
        #expect(try contents(dir).isEmpty)
    }

    @Test func aFolderThatIsNotAFolderFails() throws {
        let md5 = MD5.digest(Self.image)
        #expect(throws: BackupError.self) {
            try BackupFileWriter().write(image: Self.image, sidecar: Self.sidecar(md5: Hex.string(md5)), to: "/dev/full/x.bin", expectedMD5: md5)
        }
    }

    @Test func bytesThatDoNotHashToTheBoardsMD5AreNotKept() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("writer")
        let wrong = MD5.digest([1, 2, 3])
        #expect(throws: BackupError.self) {
            try BackupFileWriter().write(image: Self.image, sidecar: Self.sidecar(md5: Hex.string(wrong)), to: dir.appendingPathComponent("x.bin").path, expectedMD5: wrong)
        }
        #expect(try contents(dir).isEmpty)
    }

    @Test func aChangedImageIsRefusedOnLoad() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("writer")
        let md5 = MD5.digest(Self.image)
        let path = dir.appendingPathComponent("x.bin").path
        try BackupFileWriter().write(image: Self.image, sidecar: Self.sidecar(md5: Hex.string(md5)), to: path, expectedMD5: md5)
        var changed = Self.image
        changed[100] ^= 0xFF
        try Data(changed).write(to: URL(fileURLWithPath: path))
        #expect { _ = try LoadedBackup(path: path) } throws: { error in
            guard let e = error as? BackupError, case .imageDoesNotMatchSidecar = e else { return false }
            return e.catalogueID == "backup-file-corrupt"
        }
    }

    @Test func defaultNamesCarryTheMACAndTheDate() {
        let name = BackupNaming.fileName(mac: "5C:CF:7F:1A:2B:3C", date: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(name == "backup-5ccf7f1a2b3c-20270115T080000Z.bin")
    }
}
