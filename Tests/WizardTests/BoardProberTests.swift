import ESPSimulator
import FlashEngine
import PracticeBoards
import Foundation
import Testing
@testable import Wizard

/// The read-only probe against in-process practice boards.
@Suite(.serialized)
struct BoardProberTests {
    @Test func nodeMCUIsResetAutomaticallyAndIdentified() throws {
        let practice = try PracticeBoard(profileID: "nodemcu")
        defer { practice.stop() }
        let before = practice.board.flashContents()
        var manualRequests = 0
        let probed = try BoardProber(connector: BoardConnector(practice: practice)).probe(PortChoice(practice.port), status: { _ in },
                                                                                     manualBoot: { _ in manualRequests += 1; return false })
        #expect(probed.autoResetWorked)
        #expect(manualRequests == 0)
        #expect(probed.info.chipName == "ESP8266EX")
        #expect(probed.info.macAddress == practice.profile.macText)
        #expect(probed.info.flashSize == practice.profile.flashSize)
        #expect(probed.port.bridge?.id == "cp210x")
        #expect(practice.board.flashContents() == before, "probing writes nothing")
        probed.release()
    }

    @Test func esp01NeedsTheManualBootAndIsRetriedUntilItAnswers() throws {
        let practice = try PracticeBoard(profileID: "esp01")
        defer { practice.stop() }
        var attempts: [Int] = []
        let probed = try BoardProber(connector: BoardConnector(practice: practice)).probe(PortChoice(practice.port), status: { _ in }) { attempt in
            attempts.append(attempt)
            if attempt >= 2 { practice.manualBoot() }   // the first "Enter" comes before the buttons were pressed
            return true
        }
        #expect(attempts == [1, 2])
        #expect(!probed.autoResetWorked)
        #expect(probed.info.flashVendor == "Puya")
        probed.release()
    }

    @Test func givingUpTheManualBootStopsWithoutWriting() throws {
        let practice = try PracticeBoard(profileID: "esp01")
        defer { practice.stop() }
        let before = practice.board.flashContents()
        #expect(throws: ProbeFailure.self) {
            try BoardProber(connector: BoardConnector(practice: practice)).probe(PortChoice(practice.port), status: { _ in }, manualBoot: { _ in false })
        }
        #expect(practice.board.flashContents() == before)
    }

    @Test func unknownPracticeProfileNamesTheChoices() {
        #expect(throws: PracticeBoardError.unknownProfile("esp32")) { try PracticeBoard(profileID: "esp32") }
        #expect(PracticeBoardError.unknownProfile("esp32").description.contains("nodemcu"))
    }
}
