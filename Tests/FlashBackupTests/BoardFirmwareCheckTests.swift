import ESPLoader
import ESPSimulator
import FirmwareImage
import FlashBackup
import SerialTransport
import TestSupport
import Testing

/// `BoardFirmwareCheck` on simulated boards: MicroPython by its check_fw trailer, other firmware
/// and blank flash not.
@Suite(.serialized) struct BoardFirmwareCheckTests {
    func identify(flash: [UInt8]?) throws -> InstalledFirmware {
        try LoaderRig.with(BoardOptions(profile: .nodemcu, initialState: .bootloader, controlSocket: false, flashImage: flash)) { _, client in
            try BackupRunner(client: client).ensureStub()
            return try BoardFirmwareCheck.identify(client: client)
        }
    }

    @Test func theRealMicroPythonImageIsRecognised() throws {
        let id = try identify(flash: try TestEnvironment.loadMicroPythonFirmware())
        #expect(id.kind == .micropython)
        #expect(id.isMicroPython)
    }

    @Test func aMicroPythonImageWithABrokenTrailerIsNot() throws {
        var firmware = try TestEnvironment.loadMicroPythonFirmware()
        firmware[0x2_0000] ^= 0xFF
        #expect(try !identify(flash: firmware).isMicroPython)
    }

    @Test func otherFirmwareAndBlankFlash() throws {
        #expect(try identify(flash: BackupRunnerTests.otherFirmwareFlash()).kind == .unknownImage)
        #expect(try identify(flash: nil).kind == .blank)
    }
}
