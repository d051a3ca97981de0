import Foundation
import ProtocolTrace
import TestSupport
import Testing

@Suite struct TraceFileWriterTests {
    @Test func writesLinesToAFile() throws {
        let dir = try TestEnvironment.makeTemporaryDirectory("trace-writer")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.txt").path
        let writer = try TraceFileWriter.open(path: path).get()
        writer.append("one")
        writer.append("two")
        writer.close()
        #expect(writer.problem == nil)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "one\ntwo\n")
    }

    @Test func aMissingFolderIsNamedWithTheFix() {
        guard case .failure(let problem) = TraceFileWriter.open(path: "/nonexistent-espwiz/folder/t.txt") else {
            Issue.record("opened a file in a missing folder")
            return
        }
        #expect(problem == .missingFolder(path: "/nonexistent-espwiz/folder/t.txt", folder: "/nonexistent-espwiz/folder"))
        #expect(problem.message.contains("could not be written"))
        #expect(problem.message.contains("mkdir -p /nonexistent-espwiz/folder"))
    }

    @Test func aDeviceIsRefused() {
        guard case .failure(let problem) = TraceFileWriter.open(path: "/dev/full") else {
            Issue.record("opened a device as a trace file")
            return
        }
        #expect(problem == .notAFile(path: "/dev/full"))
        #expect(problem.message.contains("a device, not a file"))
    }

    @Test func aFolderIsRefused() {
        guard case .failure(let problem) = TraceFileWriter.open(path: "/tmp") else {
            Issue.record("opened a folder as a trace file")
            return
        }
        #expect(problem == .isDirectory(path: "/tmp"))
    }

    /// /dev/full answers every write with ENOSPC, as a full disk does.
    @Test func aFullDiskIsReportedOnceAndTheRestDropped() throws {
        let writer = try TraceFileWriter.open(path: "/dev/full", allowDevices: true).get()
        var reported: [TraceWriteProblem] = []
        writer.onProblem = { reported.append($0) }
        for i in 0..<20_000 { writer.append("line \(i) with some text to fill the buffer") }
        writer.close()
        #expect(reported == [.writeFailed(path: "/dev/full", errno: ENOSPC)])
        #expect(reported.first?.message.contains("free some space") == true)
        #expect(writer.problem == reported.first)
    }
}
