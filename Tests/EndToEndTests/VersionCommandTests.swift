import Foundation
import StubImage
import Testing
import TestSupport

/// `espwiz --version` of a plain source build: the version, no commit, and the built-in stub.
@Suite("espwiz --version")
struct VersionCommandTests {
    @Test("a source build names its version, says the commit is unknown and reports the built-in stub")
    func sourceBuild() throws {
        let r = try ProcessRunner.espwiz(["--version"])
        #expect(r.status == 0, "\(r.combined)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(r.stdout)")
        #expect(lines.first?.range(of: #"^espwiz \d+\.\d+\.\d+$"#, options: .regularExpression) != nil, "\(r.stdout)")
        #expect(lines.dropFirst().first == "commit unknown (source build)")
        let stubBytes = StubImage.segments.reduce(0) { $0 + $1.bytes.count }
        #expect(lines.last == "flasher stub \(StubImage.version) built in (\(stubBytes) bytes)")
    }
}
