/// A trace file that cannot be replayed: which line, what is wrong, and what to do.
public struct TraceParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1-based line number (0: the file as a whole).
    public var line: Int
    /// What is wrong.
    public var problem: String

    /// Creates an error for `line`.
    public init(line: Int, _ problem: String) {
        self.line = line
        self.problem = problem
    }

    public var description: String {
        (line > 0 ? "Trace line \(line): " : "Trace: ") + problem
            + " Fix: use a file written by espwiz --trace; when editing one, keep hex= an even number of hex digits and quoted text in \"…\" with \\xNN escapes."
    }
}
