import ESPProtocol

/// What a sparse read of a flash range returned: the whole range as a plain image (blank
/// sectors as 0xFF), the map it was read by and the stub's own MD5 of the range.
public struct SparseFlashRead: Equatable, Sendable {
    /// The byte range read (whole sectors).
    public let range: Range<Int>
    /// Every byte of `range`; sectors the map calls blank are 0xFF without being sent.
    public let bytes: [UInt8]
    /// Which sectors were sent (the stub's FLASH_BLANK_SCAN, or the MD5 fallback's 64 KiB blocks).
    public let blankMap: BlankMap
    /// The stub's MD5 of the whole range, which `bytes` hash to: the one the sparse READ_FLASH
    /// ends with (espwiz's stub), or SPI_FLASH_MD5 (other stubs, and after a re-read).
    public let md5: [UInt8]
    /// 64 KiB pieces read again because they did not hash to the stub's MD5 the first time.
    public let rereadRanges: [Range<Int>]
    /// Flash bytes that went over the wire (dirty sectors plus re-reads).
    public let bytesSent: Int

    /// Creates a result (the client makes these).
    public init(range: Range<Int>, bytes: [UInt8], blankMap: BlankMap, md5: [UInt8], rereadRanges: [Range<Int>], bytesSent: Int) {
        self.range = range
        self.bytes = bytes
        self.blankMap = blankMap
        self.md5 = md5
        self.rereadRanges = rereadRanges
        self.bytesSent = bytesSent
    }
}
