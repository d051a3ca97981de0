/// A closed set of words the run record stores as a JSON string (an outcome, a phase, the loader,
/// the erase choice). Typed in code, the same strings in JSON, so records written before these
/// were enums load unchanged; a word written by a later espwiz is kept as it was (`other`).
/// String literals still compare (`attempt.outcome == "ok"`) and assign (also interpolated ones, for
/// the words that carry a name), so writers and readers need not change at once.
public protocol RecordToken: Codable, Hashable, Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The token for a stored word.
    init(rawValue: String)
    /// The stored word.
    var rawValue: String { get }
}

extension RecordToken {
    /// A token from a literal word.
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    /// A token from an interpolated word (`"\(name) running and verified"`).
    public init(stringInterpolation: DefaultStringInterpolation) { self.init(rawValue: String(stringInterpolation: stringInterpolation)) }
    /// Decodes the stored word.
    public init(from decoder: any Decoder) throws { self.init(rawValue: try decoder.singleValueContainer().decode(String.self)) }
    /// Encodes the stored word.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    /// The stored word.
    public var description: String { rawValue }
}

/// How a step or a baud attempt ended.
public enum StepOutcome: RecordToken {
    case ok, failed, interrupted, skipped, retried
    /// A word this version does not know.
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "ok": self = .ok
        case "failed": self = .failed
        case "interrupted": self = .interrupted
        case "skipped": self = .skipped
        case "retried": self = .retried
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .ok: "ok"
        case .failed: "failed"
        case .interrupted: "interrupted"
        case .skipped: "skipped"
        case .retried: "retried"
        case .other(let word): word
        }
    }
}

/// The phase a baud rate was tried in.
public enum LadderPhase: RecordToken {
    case connect, probe, stub, changeBaud, erase, write, rewriteHeader
    /// A word this version does not know.
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "connect": self = .connect
        case "probe": self = .probe
        case "stub": self = .stub
        case "change-baud": self = .changeBaud
        case "erase": self = .erase
        case "write": self = .write
        case "rewrite-header": self = .rewriteHeader
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .connect: "connect"
        case .probe: "probe"
        case .stub: "stub"
        case .changeBaud: "change-baud"
        case .erase: "erase"
        case .write: "write"
        case .rewriteHeader: "rewrite-header"
        case .other(let word): word
        }
    }
}

/// Which loader wrote the flash.
public enum LoaderChoice: RecordToken {
    case rom, stub
    /// A word this version does not know.
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "rom": self = .rom
        case "stub": self = .stub
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .rom: "rom"
        case .stub: "stub"
        case .other(let word): word
        }
    }
}

/// What was erased before the write.
public enum EraseChoice: RecordToken {
    /// The whole chip.
    case chip
    /// Only what the image covers.
    case region
    /// Blank-aware: the sectors outside the image that held data, found by the stub's scan (the
    /// same result as a whole-chip erase: everything the image does not cover reads 0xFF).
    case clean
    /// A word this version does not know.
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "chip": self = .chip
        case "region": self = .region
        case "clean": self = .clean
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .chip: "chip"
        case .region: "region"
        case .clean: "clean"
        case .other(let word): word
        }
    }
}
