/// Renders the catalogue as `docs/troubleshooting.md`: one section per id, anchored by the id.
public enum TroubleshootingDocument {
    /// The whole Markdown document.
    public static func markdown(entries: [CatalogueEntry] = ErrorCatalogue.entries) -> String {
        var out = """
        # Troubleshooting espwiz

        <!-- Generated from Sources/Troubleshooting (ErrorCatalogue). Do not edit by hand: run
             `ESPWIZ_WRITE_DOCS=1 swift test --filter TroubleshootingTests` to regenerate. -->

        Every problem espwiz reports carries an id. `espwiz explain <id>` prints the same text as
        this page. `espwiz explain "<pasted output>"` (or `espwiz explain - < log.txt`) reads
        esptool output in any version's wording, Arduino IDE / PlatformIO / ESPHome / Thonny upload
        logs and ESP8266 boot logs, and ranks the causes that fit, most specific first, with the
        others as "also possible"; `--json` gives the ranked list to scripts. `espwiz repl
        --boot-log` resets a board and shows its 74880-baud boot log decoded; `espwiz doctor`
        decodes it too. The rules were built on real error reports from public threads
        (Tests/TroubleshootingTests/Fixtures/real-reports.jsonl).

        ## Contents


        """
        for entry in entries {
            out += "- [\(entry.title)](#\(entry.id)) `\(entry.id)`\n"
        }
        for entry in entries {
            out += "\n" + section(entry)
        }
        return out
    }

    /// The section for one entry, starting with its anchored `##` heading.
    public static func section(_ entry: CatalogueEntry) -> String {
        var out = "## <a id=\"\(entry.id)\"></a>\(entry.title)\n\n"
        out += "Id: `\(entry.id)`\n\n"
        out += "**Cause:** \(entry.cause)\n\n"
        if !entry.confirm.isEmpty { out += "**How to confirm:** \(entry.confirm)\n\n" }
        let recognised = Explainer.recognises(entry.id.rawValue)
        if !recognised.isEmpty {
            out += "**Recognised in pasted text by:** " + recognised.joined(separator: "; ") + "\n\n"
        }
        for platform in Platform.allCases {
            out += "**\(platform.displayName)**\n\n"
            for step in entry.fix.steps(for: platform) { out += "- \(step)\n" }
            out += "\n"
        }
        return out
    }
}
