/// How one doctor check came out.
public enum CheckVerdict: String, Sendable, Codable, CaseIterable, Comparable {
    /// Nothing wrong found.
    case ok
    /// Something that may cause trouble, or could not be checked fully.
    case warn
    /// A problem that stops flashing or running MicroPython.
    case fail
    /// Not run, because an earlier check failed or it does not apply.
    case skipped

    /// The word printed at the start of the line.
    public var label: String {
        switch self {
        case .ok: "OK"
        case .warn: "WARN"
        case .fail: "FAIL"
        case .skipped: "SKIP"
        }
    }

    /// Severity order: skipped < ok < warn < fail.
    var severity: Int {
        switch self {
        case .skipped: 0
        case .ok: 1
        case .warn: 2
        case .fail: 3
        }
    }

    public static func < (lhs: CheckVerdict, rhs: CheckVerdict) -> Bool { lhs.severity < rhs.severity }
}
