import Foundation
import Testing
@testable import Troubleshooting

/// One real report from a public thread: the text as pasted, what the thread found, the source.
struct RealReport: Decodable, CustomTestStringConvertible {
    var id: String
    var source: String
    var expected: String
    var text: String
    var cause: String
    var fix: String
    var tags: [String: String?]

    var testDescription: String { "\(id) \(expected) \(source)" }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Every report in Fixtures/real-reports.jsonl.
    static func load() throws -> [RealReport] {
        let data = try String(contentsOf: fixtures.appendingPathComponent("real-reports.jsonl"), encoding: .utf8)
        return try data.split(separator: "\n").map { try JSONDecoder().decode(RealReport.self, from: Data($0.utf8)) }
    }

    /// The share that must not be undercut; raised whenever the matcher gets better.
    static func floor() throws -> Double {
        let text = try String(contentsOf: fixtures.appendingPathComponent("real-reports-floor.txt"), encoding: .utf8)
        return try #require(Double(text.split(separator: "\n").first { !$0.hasPrefix("#") }?.trimmingCharacters(in: .whitespaces) ?? ""))
    }
}

@Suite("Real error reports from public threads")
struct RealReportsTests {
    @Test("the corpus holds at least 80 well-formed cases whose expected ids are in the catalogue")
    func corpusIsWellFormed() throws {
        let reports = try RealReport.load()
        #expect(reports.count >= 80)
        #expect(Set(reports.map(\.id)).count == reports.count)
        for report in reports {
            #expect(ErrorCatalogue.entry(id: report.expected) != nil, "\(report.id): unknown id \(report.expected)")
            #expect(report.source.hasPrefix("https://") || report.source.hasPrefix("http://"), "\(report.id)")
            #expect(!report.text.isEmpty && !report.cause.isEmpty && !report.fix.isEmpty, "\(report.id)")
        }
        let oses = Set(reports.compactMap { $0.tags["os"] ?? nil })
        #expect(oses.isSuperset(of: ["windows", "macos", "linux"]))
        #expect(reports.contains { ($0.tags["language"] ?? nil) != "en" }, "non-English reports")
    }

    @Test("the first explanation names the cause the thread established, for at least the stored floor (>= 90 %)")
    func shareOfFirstExplanations() throws {
        let reports = try RealReport.load()
        var right = 0
        var misses: [String] = []
        for report in reports {
            let diagnosis = try Explainer.explain(report.text)
            if diagnosis.best?.entry.id.rawValue == report.expected {
                right += 1
            } else {
                let got = diagnosis.ranked.map { "\($0.entry.id)(\($0.specificity))" }.joined(separator: ", ")
                misses.append("  \(report.id) expected \(report.expected), got [\(got)] \(report.source)")
            }
        }
        let share = Double(right) / Double(reports.count)
        let floor = try RealReport.floor()
        print("Real reports: first explanation right in \(right) of \(reports.count) (\(Int((share * 1000).rounded()) / 10) %), floor \(floor)")
        if !misses.isEmpty { print("Misses:\n" + misses.joined(separator: "\n")) }
        #expect(floor >= 0.9, "the floor may only go up from 0.9")
        #expect(share >= floor, "share \(share) fell below the floor \(floor)")
    }

    @Test("every real report gets at least one explanation", arguments: try RealReport.load())
    func expectedEntryIsListed(report: RealReport) throws {
        let ids = try Explainer.explain(report.text).ranked.map(\.entry.id)
        #expect(!ids.isEmpty, "nothing matched \(report.id)")
    }
}
