/// The settings the run used in the end.
public struct SettingsRecord: Codable, Equatable, Sendable {
    /// The baud rate the write succeeded at.
    public var baud: Int
    /// The baud rate recommended at the start, and why.
    public var recommendedBaud: Int
    /// Why that rate was recommended.
    public var baudReason: String
    /// `chip` (whole chip) or `region`.
    public var erase: EraseChoice
    /// Flash mode written into the header (`qio`, `dio`, `dout`, or `keep`).
    public var flashMode: String
    /// Flash size written into the header (`4MB`, … or `keep`).
    public var flashSize: String
    /// Flash frequency (`keep` or `40m`…).
    public var flashFrequency: String
    /// Offset written at.
    public var offset: Int
    /// `rom` or `stub`.
    public var loader: LoaderChoice
    /// How the stub received the image: `lzma` or `deflate` (absent for the ROM loader
    /// and for runs that wrote nothing).
    public var compression: String?

    /// Creates settings.
    public init(baud: Int, recommendedBaud: Int, baudReason: String, erase: EraseChoice, flashMode: String, flashSize: String,
                flashFrequency: String, offset: Int, loader: LoaderChoice) {
        self.baud = baud
        self.recommendedBaud = recommendedBaud
        self.baudReason = baudReason
        self.erase = erase
        self.flashMode = flashMode
        self.flashSize = flashSize
        self.flashFrequency = flashFrequency
        self.offset = offset
        self.loader = loader
    }
}
