import Foundation
import Testing
@testable import Troubleshooting

@Suite("docs/troubleshooting.md stays in step with the catalogue")
struct TroubleshootingDocumentTests {
    static let documentURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(ErrorCatalogue.documentPath)

    @Test("the committed document equals the generated one (ESPWIZ_WRITE_DOCS=1 rewrites it)")
    func documentIsCurrent() throws {
        let generated = TroubleshootingDocument.markdown()
        if ProcessInfo.processInfo.environment["ESPWIZ_WRITE_DOCS"] == "1" {
            try generated.write(to: Self.documentURL, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: Self.documentURL, encoding: .utf8)
        #expect(committed == generated, "docs/troubleshooting.md is stale: run ESPWIZ_WRITE_DOCS=1 swift test --filter TroubleshootingTests")
    }

    @Test("every id has a ## section anchored by the id, with cause and all three platforms")
    func everySection() throws {
        let text = try String(contentsOf: Self.documentURL, encoding: .utf8)
        let sections = text.components(separatedBy: "\n## ").dropFirst()
        var byID: [String: String] = [:]
        for section in sections {
            guard let start = section.range(of: "<a id=\""), let end = section.range(of: "\"", range: start.upperBound..<section.endIndex) else { continue }
            byID[String(section[start.upperBound..<end.lowerBound])] = section
        }
        for entry in ErrorCatalogue.entries {
            let section = try #require(byID[entry.id.rawValue], "no section for \(entry.id)")
            #expect(section.contains(entry.cause))
            for platform in Platform.allCases {
                #expect(section.contains("**\(platform.displayName)**"))
                for step in entry.fix.steps(for: platform) { #expect(section.contains(step)) }
            }
        }
        #expect(Set(byID.keys) == Set(ErrorCatalogue.ids))
    }
}
