import ArgumentParser
import Foundation
import Troubleshooting

/// `espwiz explain ID` / `espwiz explain "<pasted output>"`: the ranked causes and fixes from the error catalogue.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain an error id, or esptool/IDE output or a boot log you paste: ranked causes and fixes.",
        discussion: """
        The first explanation is the most specific; others follow as "also possible". Text is read \
        from the arguments, from a file (--file), or from standard input ('-'); at most 1 MiB.
        Examples:
          espwiz explain permission-denied
          espwiz explain "A fatal error occurred: Failed to connect to ESP8266: No serial data received."
          espwiz explain - < upload-log.txt
          espwiz explain --json --file boot.log
          espwiz explain --list
        Exit status: 0 explained, 1 nothing recognised, 64 bad input (empty, over 1 MiB, unreadable file).
        """
    )

    @Flag(name: .long, help: "List every error id with its title.")
    var list = false

    @Flag(name: .long, help: "Print the ranked explanations as JSON (for scripts).")
    var json = false

    @Option(name: .long, help: "Read the text from this file.")
    var file: String?

    @Option(name: .long, help: "Platform whose fix is shown first: linux, macos or windows (default: this computer).")
    var platform: String?

    @Argument(parsing: .remaining, help: "An error id, or pasted text ('-' reads standard input).")
    var input: [String] = []

    func run() throws {
        if list {
            print(Self.renderList())
            return
        }
        let chosen = try platform.map { name -> Platform in
            guard let value = Platform(rawValue: name.lowercased()) else {
                throw ValidationError("Unknown platform '\(name)'; use linux, macos or windows.")
            }
            return value
        } ?? Platform.current
        let bytes = try readInput()
        guard bytes.count <= PastedText.maximumBytes else {
            return try fail(ExplainInputError.tooLarge(bytes: bytes.count).message, code: 64)   // 64: EspwizExitCode.usage
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return try fail("Nothing to explain: give an error id or paste the tool's output (`espwiz explain --list` shows all ids).", code: 64)
        }
        if let entry = ErrorCatalogue.entry(id: text) {
            if json {
                print(ExplainJSON.render([Explanation(entry: entry, evidence: ["asked for by id"], specificity: 100)], bootLog: nil))
            } else {
                print(ExplainRendering.render(entry, platform: chosen))
            }
            return
        }
        let diagnosis = Explainer.explain(PastedText(bytes: bytes))
        if json {
            print(ExplainJSON.render(diagnosis.ranked, bootLog: diagnosis.bootLog.isBootLog ? diagnosis.bootLog : nil))
            if diagnosis.best == nil { throw ExitCode(1) }
            return
        }
        guard let best = diagnosis.best else {
            FileHandle.standardError.write(Data("""
            espwiz explain: nothing in this text matches a known problem.
            Paste the complete output (from the command line down to the last error line), or let espwiz look at the board itself: espwiz doctor
            `espwiz explain --list` shows every problem espwiz knows.

            """.utf8))
            throw ExitCode(1)
        }
        print(ExplainRendering.render(best, bootLog: diagnosis.bootLog, platform: chosen))
        if !diagnosis.alsoPossible.isEmpty {
            print("\nAlso possible:")
            for other in diagnosis.alsoPossible {
                print("  - \(other.entry.title) [\(other.entry.id)]: \(other.evidence.first ?? "")")
            }
            print("  (espwiz explain <id> shows each in full)")
        }
    }

    /// The bytes to explain: --file, standard input for '-', or the arguments.
    private func readInput() throws -> [UInt8] {
        if let file {
            guard let handle = FileHandle(forReadingAtPath: file) else {
                throw ValidationError("Cannot read '\(file)': no such file or no permission.")
            }
            defer { try? handle.close() }
            // Read one byte past the limit: enough to refuse without loading a huge file.
            return [UInt8](handle.readData(ofLength: PastedText.maximumBytes + 1))
        }
        if input == ["-"] {
            return [UInt8](FileHandle.standardInput.readData(ofLength: PastedText.maximumBytes + 1))
        }
        return Array(input.joined(separator: " ").utf8)
    }

    private func fail(_ message: String, code: Int32) throws {
        FileHandle.standardError.write(Data("espwiz explain: \(message)\n".utf8))
        throw ExitCode(code)
    }

    /// Every id with its title, one per line.
    static func renderList() -> String {
        let width = ErrorCatalogue.ids.map(\.count).max() ?? 0
        return ErrorCatalogue.entries.map { $0.id.rawValue.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.title }
            .joined(separator: "\n")
    }
}
