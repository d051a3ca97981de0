@testable import BoardConsole
import SerialTransport
import Testing

/// `MicroPythonREPL.run` when an Enter sent during the boot is answered late.
@Suite("MicroPython REPL commands")
struct MicroPythonREPLRunTests {
    static let banner = "MicroPython v1.9.4-8-ga9a3caad0 on 2018-05-11; ESP module with ESP8266\r\nType \"help()\" for more information.\r\n>>> "

    @Test("the prompt that answers an early Enter does not end the next command")
    func latePromptSkipped() throws {
        let link = AnsweringLink(pending: Self.banner, answers: [
            "\r": [],  // sent while the firmware booted: its answer comes only after the next write
            "import esp; esp.check_fw()\r": ["\r\n>>> ", "import esp; esp.check_fw()\r\nsize: 595556\r\n",
                                              "md5: eb57017025185355b5af79f811194c2d\r\nTrue\r\n>>> "],
        ])
        let repl = MicroPythonREPL(link: link)
        try repl.sendEnter()
        #expect(try repl.listenForPrompt(timeout: .seconds(1)))
        let output = try repl.run("import esp; esp.check_fw()", timeout: .seconds(2))
        let check = try #require(CheckFirmwareOutput.parse(output))
        #expect(check.passed)
        #expect(check.size == 595_556)
    }

    @Test("a command whose prompt arrived with its output in one read still ends there")
    func promptInSameRead() throws {
        let link = AnsweringLink(pending: Self.banner, answers: ["1+1\r": ["1+1\r\n2\r\n>>> "]])
        let repl = MicroPythonREPL(link: link)
        #expect(try repl.listenForPrompt(timeout: .seconds(1)))
        #expect(try repl.run("1+1", timeout: .seconds(2)) == "1+1\r\n2\r\n>>> ")
    }
}

/// Answers each whole write with fixed chunks of text, one chunk per read, after giving out `pending` first.
private final class AnsweringLink: SerialLink {
    private var pending: [[UInt8]]
    private let answers: [String: [String]]

    init(pending: String, answers: [String: [String]]) {
        self.pending = [Array(pending.utf8)]
        self.answers = answers
    }

    var name: String { "answering" }
    var baud: Int { 115_200 }
    var modemLines: (any ModemLines)? { nil }
    func setBaud(_ rate: Int) throws(SerialError) {}
    func write(_ bytes: [UInt8]) throws(SerialError) {
        pending += (answers[String(decoding: bytes, as: UTF8.self)] ?? []).map { Array($0.utf8) }
    }
    func read(maxCount: Int, timeout: Duration) throws(SerialError) -> [UInt8] {
        pending.isEmpty ? [] : pending.removeFirst()
    }
    func flushInput() throws(SerialError) {}
    func drainOutput() {}
    func close() {}
}
