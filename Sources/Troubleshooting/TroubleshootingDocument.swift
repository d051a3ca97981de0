/// Renders the catalogue as `docs/troubleshooting.md`: one section per id, anchored by the id.
public enum TroubleshootingDocument {
    /// The whole Markdown document.
    public static func markdown(entries: [CatalogueEntry] = ErrorCatalogue.entries) -> String {
        var out = """
        # Troubleshooting espwiz

        <!-- Generated from Sources/Troubleshooting (ErrorCatalogue). Do not edit by hand: run
             `ESPWIZ_WRITE_DOCS=1 swift test --filter TroubleshootingTests` to regenerate. -->

        Every problem espwiz reports carries an id. `espwiz explain <id>` prints the same text as
        this page; `espwiz explain "<pasted esptool output>"` finds the entry for an esptool
        message or a boot log; `espwiz explain --list` lists every id.

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
        let phrases = EsptoolMessageMatcher.phrases(for: entry.id)
        if !phrases.isEmpty {
            out += "**Recognised in pasted output:** " + phrases.map { "`\($0)`" }.joined(separator: ", ") + "\n\n"
        }
        for platform in Platform.allCases {
            out += "**\(platform.displayName)**\n\n"
            for step in entry.fix.steps(for: platform) { out += "- \(step)\n" }
            out += "\n"
        }
        return out
    }
}
