import Testing
@testable import DocsRendering

@Suite struct MarkdownTextTests {
    static let hostile = [Fixtures.hostileBoardName, Fixtures.hostileFileName, "<script>alert(1)</script>", "a_b_c **bold** [l](x) ![i](y) &copy; ~~s~~",
                          "# not a heading", "- not a list", "| a | b |", "back\\slash`tick``s", "line\nbreak"]

    @Test("escaped text reads back literally, with no HTML", arguments: hostile)
    func escapedTextIsLiteral(text: String) throws {
        let md = "Value: " + MarkdownText.escape(text) + "\n"
        let s = try MarkdownStructure.parse(md)
        #expect(s.htmlNodes == 0)
        #expect(s.links.isEmpty && s.images.isEmpty)
        #expect(s.plainText.replacingOccurrences(of: "\n", with: "") == "Value: " + text.replacingOccurrences(of: "\n", with: " "))
    }

    @Test("code spans and blocks carry backticks", arguments: hostile)
    func codeIsLiteral(text: String) throws {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        let s = try MarkdownStructure.parse("A " + MarkdownText.code(flat) + " B\n\n" + MarkdownText.codeBlock([text, "```", "end"]) + "\n\nafter\n")
        #expect(s.htmlNodes == 0)
        #expect(s.plainText.contains(flat))
        #expect(s.codeBlocks.count == 1)
        #expect(s.codeBlocks.first?.text == text + "\n```\nend\n")
        #expect(s.plainText.hasSuffix("after\n"))
    }

    @Test func linkTargetsAreEncoded() throws {
        let s = try MarkdownStructure.parse(MarkdownText.link("see <this>", to: "../a b.md#x") + "\n")
        #expect(s.links == ["../a%20b.md#x"])
        #expect(s.htmlNodes == 0)
    }
}
