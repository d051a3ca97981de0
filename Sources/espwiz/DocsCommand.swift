import ArgumentParser
import DocsRendering
import Foundation
import RunRecord

/// `espwiz docs RECORD.json…`: writes the install guides for one or several recorded runs.
struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Write install guides (Markdown or reStructuredText, for Windows, Linux and macOS) that match recorded runs.",
        discussion: """
        The guides say which values were measured in the runs (port, baud rate that worked, flash mode and \
        size) and give the esptool command that reproduces them. Several records make one guide per platform \
        with a table of the boards; failed runs are left out unless --include-failed is given. MAC addresses \
        and USB serial numbers are left out unless --include-device-ids is given. Nothing is written when a \
        record or a template is bad.
        """
    )

    /// Which platform docs to write.
    enum PlatformChoice: String, ExpressibleByArgument, CaseIterable {
        case windows, linux, macos, all
    }

    @Argument(help: "The run record JSON files espwiz wrote (one guide covers them all).")
    var records: [String] = []

    @Option(help: "Platform to write docs for.")
    var platform: PlatformChoice = .all

    @Option(help: "esptool spelling: v5 (esptool write-flash) or v4 (esptool.py write_flash).")
    var esptool: EsptoolSpelling = .v5

    @Option(help: "Markup: markdown (<platform>.md) or rst (<platform>.rst, for Sphinx).")
    var format: DocsFormat = .markdown

    @Option(help: "Folder to write <platform>.md (and images/) into.")
    var out: String = "docs"

    @Option(help: "Folder of templates that replace built-in ones of the same name (see --export-templates).")
    var templates: String?

    @Option(name: .customLong("export-templates"), help: "Write the built-in templates into this folder and exit.")
    var exportTemplates: String?

    @Option(name: .customLong("images-folder"), help: "Folder of the pictures, relative to the guides (ends with /).")
    var imagesFolder = "images/"

    @Option(name: .customLong("troubleshooting-page"), help: "The troubleshooting page, relative to the guides.")
    var troubleshootingPage = "../troubleshooting.md"

    @Flag(name: .customLong("no-copy-images"), help: "Do not write the pictures (they are already in --images-folder).")
    var noCopyImages = false

    @Flag(name: .customLong("include-failed"), help: "Include failed and unfinished runs in a guide made from several records.")
    var includeFailed = false

    @Flag(name: .customLong("include-device-ids"), help: "Include the board's MAC address and the adapter's USB serial number.")
    var includeDeviceIDs = false

    func run() throws {
        if let folder = exportTemplates {
            do {
                for url in try DocsRenderer.exportTemplates(to: URL(fileURLWithPath: folder)) { print("wrote \(url.path)") }
            } catch let e as DocsRenderingError {
                throw ValidationFailure(message: e.description)
            }
            return
        }
        guard !records.isEmpty else {
            throw ValidationFailure(message: "Give at least one run record (the JSON file espwiz flash wrote), or --export-templates DIR.")
        }
        var loaded: [(name: String, record: RunRecord)] = []
        for path in records {
            do {
                loaded.append((path, try RunRecordStore.load(from: URL(fileURLWithPath: path))))
            } catch {
                throw ValidationFailure(message: error.description)
            }
        }
        let platforms = platform == .all ? DocsPlatform.allCases : [DocsPlatform(rawValue: platform.rawValue)!]
        var options = DocsOptions(esptool: esptool, includeDeviceIDs: includeDeviceIDs,
                                  troubleshootingPage: troubleshootingPage,
                                  imagesFolder: imagesFolder.hasSuffix("/") ? imagesFolder : imagesFolder + "/")
        options.format = format
        let written: [URL]
        do {
            let selection = try RunSelection.select(loaded, includeFailed: includeFailed)
            for left in selection.leftOut { print("left out \(left.name): \(left.reason)") }
            let renderer = try DocsRenderer(templates: templates.map { URL(fileURLWithPath: $0) })
            written = try DocsWriter.write(selection, platforms: platforms, options: options, renderer: renderer,
                                           to: URL(fileURLWithPath: out), copyImages: !noCopyImages)
        } catch let e as DocsRenderingError {
            throw ValidationFailure(message: e.description)
        }
        for url in written { print("wrote \(url.path)") }
    }

    /// A failure printed as `Error: <message>` with exit code 1.
    struct ValidationFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

extension EsptoolSpelling: ExpressibleByArgument {}
extension DocsFormat: ExpressibleByArgument {}
