import ArgumentParser
import Foundation
import Troubleshooting

/// `espwiz explain ID` / `espwiz explain "<pasted esptool output>"`: cause and fix from the error catalogue.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain an error id, or esptool output / a boot log you paste: cause and fix.",
        discussion: """
        Examples:
          espwiz explain permission-denied
          espwiz explain "A fatal error occurred: Failed to connect to ESP8266: No serial data received."
          espwiz explain -            (read the pasted text from standard input)
          espwiz explain --list
        """
    )

    @Flag(name: .long, help: "List every error id with its title.")
    var list = false

    @Option(name: .long, help: "Platform whose fix is shown first: linux, macos or windows (default: this computer).")
    var platform: String?

    @Argument(parsing: .remaining, help: "An error id, or text pasted from esptool ('-' reads standard input).")
    var input: [String] = []

    func run() throws {
        if list {
            print(Self.renderList())
            return
        }
        var text = input.joined(separator: " ")
        if text == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError("Give an error id or paste the esptool message. Run `espwiz explain --list` to see all ids.")
        }
        let chosen = try platform.map { name -> Platform in
            guard let value = Platform(rawValue: name.lowercased()) else {
                throw ValidationError("Unknown platform '\(name)'; use linux, macos or windows.")
            }
            return value
        } ?? Platform.current

        if let entry = ErrorCatalogue.entry(id: text) {
            print(Self.render(entry, platform: chosen))
            return
        }
        let matches = EsptoolMessageMatcher.matches(text)
        guard let best = matches.first else {
            FileHandle.standardError.write(Data("""
            espwiz explain: no catalogue entry matches this text.
            Run `espwiz explain --list` to see all ids, or paste the complete esptool error message (the lines starting with "A fatal error occurred").

            """.utf8))
            throw ExitCode(1)
        }
        print("Recognised: " + best.phrases.map { "\"\($0)\"" }.joined(separator: ", ") + "\n")
        print(Self.render(best.entry, platform: chosen))
        let others = matches.dropFirst().map(\.entry.id)
        if !others.isEmpty {
            print("\nAlso found in the text: " + others.joined(separator: ", ") + " (espwiz explain <id>)")
        }
    }

    /// The entry as printed: title, cause, the fix for `platform` first, then the others, then the docs link.
    static func render(_ entry: CatalogueEntry, platform: Platform) -> String {
        var lines = ["\(entry.title) [\(entry.id)]", "", "Cause: \(entry.cause)", ""]
        let order = [platform] + Platform.allCases.filter { $0 != platform }
        for current in order {
            lines.append("Fix on \(current.displayName)" + (current == Platform.current ? " (this computer):" : ":"))
            lines += entry.fix.steps(for: current).map { "  - \($0)" }
            lines.append("")
        }
        lines.append("More: \(entry.docsAnchor)")
        return lines.joined(separator: "\n")
    }

    /// Every id with its title, one per line.
    static func renderList() -> String {
        let width = ErrorCatalogue.ids.map(\.count).max() ?? 0
        return ErrorCatalogue.entries.map { $0.id.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.title }
            .joined(separator: "\n")
    }
}
