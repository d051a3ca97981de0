import DocsRendering
import Foundation
import RunRecord
import Troubleshooting

/// Renders a run's install docs (one Markdown page per platform plus the troubleshooting page):
/// the CLI hands this to the engine and the wizard, which do not depend on DocsRendering for it.
enum InstallDocs {
    /// Writes the docs of `record` into `folder`; returns the files written.
    static let render: @Sendable (RunRecord, URL) throws -> [URL] = { record, folder in
        let docs = try DocsWriter.write(record, options: DocsOptions(troubleshootingPage: "troubleshooting.md"), to: folder)
        let troubleshooting = folder.appendingPathComponent("troubleshooting.md")
        try TroubleshootingDocument.markdown().write(to: troubleshooting, atomically: true, encoding: .utf8)
        return docs
    }
}
