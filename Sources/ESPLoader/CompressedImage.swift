/// An image and its compressed stream, made once (possibly ahead of time, while the board is
/// still being connected) and sent with `LoaderClient.writeFlashCompressed(_:offset:verify:progress:)`.
public struct CompressedImage: Sendable {
    /// The bytes that end up in flash.
    public let image: [UInt8]
    /// The format of `stream`.
    public let compression: StubCompression
    /// The compressed bytes sent over the wire.
    public let stream: [UInt8]

    /// Compresses `image` with `compression`.
    public init(_ image: [UInt8], compression: StubCompression) throws(LoaderError) {
        self.image = image
        self.compression = compression
        self.stream = try compression.compress(image)
    }
}
