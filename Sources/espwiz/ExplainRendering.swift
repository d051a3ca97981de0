import Troubleshooting

/// How `espwiz explain` prints an entry: title, cause, evidence, how to confirm, fixes (this platform first).
enum ExplainRendering {
    /// The best explanation with what was recognised and, for boot logs, the decoded banner.
    static func render(_ explanation: Explanation, bootLog: BootLogAnalysis, platform: Platform) -> String {
        var lines = ["Recognised: " + explanation.evidence.joined(separator: "; ")]
        if let banner = bootLog.banners.first {
            lines.append("Boot log: rst cause:\(banner.resetCause) (\(banner.cause.words)), boot mode:(\(banner.modeX),\(banner.modeY)) = \(banner.strap.pins)"
                + (bootLog.banners.count > 1 ? "; the banner appears \(bootLog.banners.count) times" : ""))
        }
        return lines.joined(separator: "\n") + "\n\n" + render(explanation.entry, platform: platform)
    }

    /// The entry as printed: title, cause, how to confirm, the fix for `platform` first, then the others, then the docs link.
    static func render(_ entry: CatalogueEntry, platform: Platform) -> String {
        var lines = ["\(entry.title) [\(entry.id)]", "", "Cause: \(entry.cause)", ""]
        if !entry.confirm.isEmpty { lines += ["Confirm: \(entry.confirm)", ""] }
        let order = [platform] + Platform.allCases.filter { $0 != platform }
        for current in order {
            lines.append("Fix on \(current.displayName)" + (current == Platform.current ? " (this computer):" : ":"))
            lines += entry.fix.steps(for: current).map { "  - \($0)" }
            lines.append("")
        }
        lines.append("More: \(entry.docsAnchor)")
        return lines.joined(separator: "\n")
    }
}

/// `espwiz explain --json`: the ranked list for scripts.
enum ExplainJSON {
    /// One JSON document: `{"explanations":[{"rank":1,"id":…,"title":…,"specificity":…,"evidence":[…],"cause":…,"confirm":…,"docs":…}],"bootLog":{…}}`.
    static func render(_ ranked: [Explanation], bootLog: BootLogAnalysis?) -> String {
        let items = ranked.enumerated().map { index, item in
            "{" + [
                "\"rank\":\(index + 1)",
                "\"id\":\(quote(item.entry.id.rawValue))",
                "\"title\":\(quote(item.entry.title))",
                "\"specificity\":\(item.specificity)",
                "\"evidence\":[" + item.evidence.map(quote).joined(separator: ",") + "]",
                "\"cause\":\(quote(item.entry.cause))",
                "\"confirm\":\(quote(item.entry.confirm))",
                "\"docs\":\(quote(item.entry.docsAnchor))",
            ].joined(separator: ",") + "}"
        }
        var out = "{\"explanations\":[" + items.joined(separator: ",") + "]"
        if let bootLog {
            let banners = bootLog.banners.map {
                "{\"resetCause\":\($0.resetCause),\"bootMode\":[\($0.modeX),\($0.modeY)],\"strap\":\(quote($0.strap.rawValue))}"
            }
            out += ",\"bootLog\":{\"banners\":[" + banners.joined(separator: ",") + "],\"exceptions\":\(bootLog.exceptions)}"
        }
        return out + "}"
    }

    /// A JSON string literal.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
