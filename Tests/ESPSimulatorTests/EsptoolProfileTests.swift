import ESPProtocol
import Foundation
import Testing
import TestSupport
@testable import ESPSimulator

/// esptool 5.6.0 against every simulated board: what it prints must be what the profile says.
@Suite(.serialized) struct EsptoolProfileTests {
    private func withBoard<T>(_ profile: BoardProfile, _ body: (SimulatedBoard) throws -> T) throws -> T {
        let board = try SimulatedBoard(options: BoardOptions(profile: profile, controlSocket: false))
        try board.start()
        defer { board.stop() }
        return try body(board)
    }

    private func expectChipReport(_ r: EsptoolRunner.Result, _ profile: BoardProfile) {
        let f = r.fields
        #expect(f["Chip type"] == profile.identity.chipName)
        #expect(f["Features"] == profile.identity.features.joined(separator: ", "))
        #expect(f["Crystal frequency"] == "\(profile.crystalMHz)MHz")
        #expect(f["MAC"] == profile.macText)
    }

    @Test(.enabled(if: EsptoolRunner.isAvailable), arguments: BoardProfile.all)
    func chipIDAndReadMAC(profile: BoardProfile) throws {
        try withBoard(profile) { board in
            let chip = try EsptoolRunner.run(port: board.ptyPath, ["chip-id"])
            #expect(chip.status == 0, "\(chip.output)")
            expectChipReport(chip, profile)
            #expect(chip.fields["Chip ID"] == String(format: "0x%08x", profile.identity.chipID))

            let mac = try EsptoolRunner.run(port: board.ptyPath, ["read-mac"])
            #expect(mac.status == 0, "\(mac.output)")
            expectChipReport(mac, profile)
            #expect(mac.output.contains("Stub flasher running."))
        }
    }

    @Test(.enabled(if: EsptoolRunner.isAvailable), arguments: BoardProfile.all)
    func flashIDWithAndWithoutStub(profile: BoardProfile) throws {
        try withBoard(profile) { board in
            for noStub in [false, true] {
                let r = try EsptoolRunner.run(port: board.ptyPath, ["flash-id"], globalOptions: noStub ? ["--no-stub"] : [])
                #expect(r.status == 0, "\(r.output)")
                expectChipReport(r, profile)
                let f = r.fields
                #expect(f["Manufacturer"] == Hex.format(profile.jedec.manufacturer, digits: 2, prefix: false))
                #expect(f["Device"] == profile.jedec.deviceText)
                #expect(f["Detected flash size"] == SizeText.format(profile.flashSize))
                #expect(r.output.contains("Stub flasher running.") == !noStub)
                #expect(!r.output.contains("Failed to communicate with the flash chip"))
            }
        }
    }
}
