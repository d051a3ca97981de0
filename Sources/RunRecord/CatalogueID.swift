/// A troubleshooting catalogue id (`port-busy`): stored in records as its word, typed in code.
///
/// The set is open (the entries live in Troubleshooting, which defines them with string literals),
/// so this is a struct around the word rather than an enum; an id a later espwiz writes loads as it is.
public struct CatalogueID: RecordToken, Comparable {
    /// The stored word.
    public let rawValue: String

    /// The id for a stored word.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The id for a word from a layer below the record (errors there still carry plain strings).
    public init(_ rawValue: String) { self.rawValue = rawValue }

    // Spelled out so the JSON is the bare word whatever the compiler would synthesise for a struct.
    /// Decodes the stored word.
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    /// Encodes the stored word.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func < (lhs: CatalogueID, rhs: CatalogueID) -> Bool { lhs.rawValue < rhs.rawValue }
}
