import ESPProtocol
import FirmwareImage
import Foundation

/// Whether a firmware file may go on the probed board, and what to tell the person about it.
public struct FirmwareAssessment: Sendable {
    /// True when the wizard accepts the file for this board.
    public var accepted: Bool
    /// Lines to show (facts, warnings, or the reasons for refusing with the fix).
    public var lines: [String]
    /// The build to download instead, when the file is the wrong flash-size variant.
    public var rightDownload: MicroPythonDownload?
    /// The flash mode written in the image header, when the file parsed.
    public var headerMode: FlashMode?

    /// Judges a checked file. A build that needs more flash than the board has is refused (the
    /// engine would only warn), because it would not boot or would corrupt its filesystem.
    public init(verdict: FirmwareVerdict, flashSize: Int?) {
        headerMode = verdict.image?.flashMode
        var tooLarge: (MicroPythonVariant, MicroPythonDownload)?
        var others: [String] = []
        for warning in verdict.warnings {
            if case .variantTooLarge(let variant, _, _, let download) = warning {
                tooLarge = (variant, download)
            } else {
                others.append("! " + warning.description)
            }
        }
        let name = URL(fileURLWithPath: verdict.path).lastPathComponent
        if let (variant, download) = tooLarge {
            accepted = false
            rightDownload = download
            let board = flashSize.map(SizeText.format) ?? "this"
            lines = ["✗ Wrong build for this board: \(name) is the \(variant.rawValue) MicroPython build, too big for a \(board) flash chip.",
                     "  You need the \(download.variant.rawValue) variant: \(download.currentName)",
                     "  (named \(download.legacyName) for releases up to v1.20), from \(MicroPythonDownload.downloadPage)"]
            lines += verdict.errors.map { "  " + $0.description }
            return
        }
        if !verdict.errors.isEmpty {
            accepted = false
            lines = verdict.errors.map { "✗ " + $0.description + " [espwiz explain \($0.catalogueID)]" }
            return
        }
        accepted = true
        let banner = verdict.banner?.text ?? "no MicroPython banner found"
        lines = ["✓ \(name): \(verdict.size) bytes, \(banner)"] + others
    }
}
