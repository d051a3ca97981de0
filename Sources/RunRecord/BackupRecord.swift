/// The backup taken before the erase (`flash --backup`, the wizard's offer): where it is and how to put it back.
public struct BackupRecord: Codable, Equatable, Sendable {
    /// The image file (full flash size, blank sectors as 0xFF); its sidecar is `path + ".json"`.
    public var path: String
    /// MD5 of the whole flash as the stub computed it.
    public var md5: String
    /// What the flash held at offset 0 (MicroPython v1.23, NodeMCU, AT firmware, unknown, ...).
    public var firmware: String?

    /// Creates a record.
    public init(path: String, md5: String, firmware: String?) {
        self.path = path
        self.md5 = md5
        self.firmware = firmware
    }
}
