/// What one sparse READ_FLASH returned: the dirty sectors' bytes in address order and the stub's
/// MD5 of the whole range.
public struct SparseStreamRead: Equatable, Sendable {
    /// The dirty sectors, concatenated in address order.
    public var data: [UInt8]
    /// The stub's MD5 of the whole range: dirty sectors read a second time, blank sectors read
    /// again or taken as 0xFF (as the request asked).
    public var md5: [UInt8]

    /// Creates a result (the client makes these).
    public init(data: [UInt8], md5: [UInt8]) {
        self.data = data
        self.md5 = md5
    }
}
