import Foundation
import Testing
@testable import DocsRendering

/// The committed sample docs in docs/install/ must match what the templates render now.
/// `scripts/render-sample-docs.sh` rewrites them (it runs this test with ESPWIZ_UPDATE_SAMPLES=1).
@Suite(.serialized) struct SampleDocsTests {
    /// The repository root.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The samples: folder under docs/install, fixture, and the relative paths from there.
    static let samples: [(folder: String, fixture: String, options: DocsOptions)] = [
        ("docs/install", Fixtures.success,
         DocsOptions(troubleshootingPage: "../troubleshooting.md", imagesFolder: "../images/")),
        ("docs/install/esp-01", Fixtures.manualESP01,
         DocsOptions(troubleshootingPage: "../../troubleshooting.md", imagesFolder: "../../images/")),
    ]

    @Test func samplesMatchTheTemplates() throws {
        let update = ProcessInfo.processInfo.environment["ESPWIZ_UPDATE_SAMPLES"] == "1"
        let renderer = try DocsRenderer()
        for sample in Self.samples {
            let record = try Fixtures.load(sample.fixture)
            let folder = Self.root.appendingPathComponent(sample.folder)
            for platform in DocsPlatform.allCases {
                let url = folder.appendingPathComponent(platform.rawValue + ".md")
                let rendered = try renderer.render(record, platform: platform, options: sample.options)
                if update {
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                    try Data(rendered.utf8).write(to: url)
                }
                let committed = try? String(contentsOf: url, encoding: .utf8)
                #expect(committed == rendered, "\(sample.folder)/\(platform.rawValue).md is out of date: run scripts/render-sample-docs.sh")
                // Every image the sample references exists in docs/images.
                for image in try MarkdownStructure.parse(rendered).images {
                    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(image).standardizedFileURL.path), "missing \(image)")
                }
            }
        }
    }
}
