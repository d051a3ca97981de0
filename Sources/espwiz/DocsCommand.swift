import ArgumentParser
import DocsRendering
import Foundation
import RunRecord

/// `espwiz docs RECORD.json`: writes the install docs for a recorded run.
struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Write install docs (Markdown for Windows, Linux and macOS) that match a recorded run.",
        discussion: """
        The docs say which values were measured in the run (port, baud rate that worked, flash mode and \
        size) and give the esptool commands that reproduce it. MAC addresses and USB serial numbers are \
        left out unless --include-device-ids is given.
        """
    )

    /// Which platform docs to write.
    enum PlatformChoice: String, ExpressibleByArgument, CaseIterable {
        case windows, linux, macos, all
    }

    @Argument(help: "The run record JSON file espwiz wrote.")
    var record: String

    @Option(help: "Platform to write docs for.")
    var platform: PlatformChoice = .all

    @Option(help: "esptool spelling: v5 (esptool write-flash) or v4 (esptool.py write_flash).")
    var esptool: EsptoolSpelling = .v5

    @Option(help: "Folder to write <platform>.md (and images/) into.")
    var out: String = "docs"

    @Flag(name: .customLong("include-device-ids"), help: "Include the board's MAC address and the adapter's USB serial number.")
    var includeDeviceIDs = false

    func run() throws {
        let loaded: RunRecord
        do {
            loaded = try RunRecordStore.load(from: URL(fileURLWithPath: record))
        } catch {
            throw ValidationFailure(message: error.description)
        }
        let platforms = platform == .all ? DocsPlatform.allCases : [DocsPlatform(rawValue: platform.rawValue)!]
        let options = DocsOptions(esptool: esptool, includeDeviceIDs: includeDeviceIDs)
        let written: [URL]
        do {
            written = try DocsWriter.write(loaded, platforms: platforms, options: options, to: URL(fileURLWithPath: out))
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
