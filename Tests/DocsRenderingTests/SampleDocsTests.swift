import Foundation
import RunRecord
import Testing
@testable import DocsRendering

/// The committed sample guides in docs/install/ come from real runs on espwiz's simulated boards (their
/// records are in docs/install/records/) and must match what the templates render from those records now.
/// `scripts/render-sample-docs.sh` makes new runs and rewrites them.
@Suite struct SampleDocsTests {
    /// The repository root.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let records = root.appendingPathComponent("docs/install/records")

    /// The samples as the script writes them: folder, records, depth below docs/, format.
    static let samples: [(folder: String, records: [String], depth: Int, format: DocsFormat)] = [
        ("docs/install", ["nodemcu"], 1, .markdown),
        ("docs/install/esp-01", ["esp01"], 2, .markdown),
        ("docs/install/boards", ["nodemcu", "d1mini", "esp01"], 2, .markdown),
        ("docs/install/rst", ["nodemcu", "d1mini", "esp01"], 2, .rst),
    ]

    @Test func samplesMatchTheTemplates() throws {
        let renderer = try DocsRenderer()
        for sample in Self.samples {
            let up = String(repeating: "../", count: sample.depth)
            var options = DocsOptions(troubleshootingPage: up + "troubleshooting.md", imagesFolder: up + "images/")
            options.format = sample.format
            let runs = try sample.records.map { ($0 + ".json", try RunRecordStore.load(from: Self.records.appendingPathComponent($0 + ".json"))) }
            let selection = try RunSelection.select(runs.map { (name: $0.0, record: $0.1) }, includeFailed: false)
            let folder = Self.root.appendingPathComponent(sample.folder)
            for platform in DocsPlatform.allCases {
                let url = folder.appendingPathComponent(platform.rawValue + "." + sample.format.fileExtension)
                let rendered = try renderer.render(selection, platform: platform, options: options)
                let committed = try? String(contentsOf: url, encoding: .utf8)
                #expect(committed == rendered, "\(sample.folder)/\(url.lastPathComponent) is out of date: run scripts/render-sample-docs.sh")
                guard sample.format == .markdown else { continue }
                let s = try MarkdownStructure.parse(rendered)
                // Every image the sample references exists in docs/images.
                for image in s.images {
                    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(image).standardizedFileURL.path), "missing \(image)")
                }
                // They say plainly that they come from the simulated board.
                #expect(s.plainText.contains("simulated board, not real hardware"))
            }
        }
    }

    @Test("the samples' values are the runs' own: hashes and versions from the real image on the simulated boards")
    func samplesCarryMeasuredValues() throws {
        let record = try RunRecordStore.load(from: Self.records.appendingPathComponent("nodemcu.json"))
        #expect(record.port?.simulated == true)
        let firmware = try #require(record.firmware)
        #expect(firmware.sizeBytes == 595_572, "the real MicroPython v1.9.4 image that setup-test-deps.sh fetches")
        let linux = try String(contentsOf: Self.root.appendingPathComponent("docs/install/linux.md"), encoding: .utf8)
        #expect(linux.contains(firmware.sha256))
        if let v = firmware.version { #expect(linux.contains(v)) }
        if let check = record.verification?.checkFirmwareOutput.first { #expect(linux.contains(check)) }
    }
}
