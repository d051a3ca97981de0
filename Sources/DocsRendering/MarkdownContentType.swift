import Mustache

/// The swift-mustache content type `MARKDOWN`: `{{value}}` is escaped with `MarkdownText.escape`.
///
/// Every template file starts with `{{%CONTENT_TYPE: MARKDOWN}}` (partials too: a partial otherwise
/// falls back to HTML escaping). Pre-rendered Markdown (code spans, code blocks, links) is placed with
/// triple braces and its context key always starts with `md`.
struct MarkdownContentType: MustacheContentType {
    /// The pragma name.
    static let name = "MARKDOWN"

    func escapeText(_ text: String) -> String { MarkdownText.escape(text) }
}
