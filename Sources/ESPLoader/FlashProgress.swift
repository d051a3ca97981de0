/// Where a flash write has got to, reported after every block.
public struct FlashProgress: Equatable, Sendable {
    /// Bytes of the image written so far (padding excluded).
    public var bytesWritten: Int
    /// Bytes of the image in total.
    public var totalBytes: Int
    /// Index of the block just written (0-based).
    public var blockIndex: Int
    /// Number of blocks.
    public var blockCount: Int

    /// Creates a progress report.
    public init(bytesWritten: Int, totalBytes: Int, blockIndex: Int, blockCount: Int) {
        self.bytesWritten = bytesWritten
        self.totalBytes = totalBytes
        self.blockIndex = blockIndex
        self.blockCount = blockCount
    }

    /// Fraction done, 0…1.
    public var fraction: Double { totalBytes == 0 ? 1 : Double(bytesWritten) / Double(totalBytes) }
}
