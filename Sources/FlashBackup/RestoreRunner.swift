import ESPLoader
import ESPProtocol

/// Puts a backup back: checks it fits the board, erases what must read 0xFF (blank-aware, no chip
/// erase), writes only the non-blank regions (LZMA through espwiz's stub), and verifies the whole
/// range against the sidecar's MD5.
public struct RestoreRunner {
    /// The connected client.
    public let client: LoaderClient

    /// A runner over `client`.
    public init(client: LoaderClient) { self.client = client }

    /// What a restore did.
    public struct Result: Equatable, Sendable {
        /// The plan it followed.
        public var plan: RestorePlan
        /// Compressed bytes sent.
        public var bytesSent: Int
    }

    /// Refuses a backup made on another chip or flash size unless `force`; a forced backup must
    /// still fit. Returns the differences that `force` let through, for the report.
    public static func check(_ backup: LoadedBackup, board: BoardInfo, force: Bool) throws(BackupError) -> [String] {
        var differences: [(String, String, String)] = []
        if backup.sidecar.chip != board.chipName { differences.append(("chip", backup.sidecar.chip, board.chipName)) }
        let flashSize = board.flashSize ?? backup.sidecar.flashSize
        if backup.sidecar.flashSize != flashSize {
            differences.append(("flash size", "\(backup.sidecar.flashSize) bytes", "\(flashSize) bytes"))
        }
        if let first = differences.first, !force { throw .boardMismatch(what: first.0, backup: first.1, board: first.2) }
        guard backup.range.upperBound <= flashSize else { throw .doesNotFit(imageEnd: backup.range.upperBound, flashSize: flashSize) }
        return differences.map { "\($0.0): backup \($0.1), board \($0.2)" }
    }

    /// Restores `backup` on the board (`check` first). Leaves the stub running; boot with
    /// `client.runUserCodeFromStub()`.
    /// - Throws: `LoaderError` (`.md5Mismatch` when the flash does not hash to the sidecar's MD5).
    public func restore(_ backup: LoadedBackup, board: BoardInfo,
                        progress: (FlashProgress) -> Void = { _ in }) throws(LoaderError) -> Result {
        try BackupRunner(client: client).ensureStub()
        let flashSize = board.flashSize ?? backup.sidecar.flashSize
        let map = try client.blankSectorMap(range: backup.range)
        let plan = RestorePlan(image: backup.image, offset: backup.range.lowerBound, boardMap: map, flashSize: flashSize)
        try client.erase(plan.erase)
        var sent = 0, done = 0
        for (index, region) in plan.writeRegions.enumerated() {
            let bytes = Array(backup.image[(region.lowerBound - backup.range.lowerBound)..<(region.upperBound - backup.range.lowerBound)])
            let base = done
            sent += try client.writeFlashCompressed(image: bytes, offset: UInt32(region.lowerBound), verify: false, compression: .lzma) { p in
                progress(FlashProgress(bytesWritten: base + p.bytesWritten, totalBytes: plan.writtenBytes,
                                       blockIndex: index, blockCount: plan.writeRegions.count))
            }
            done += region.count
        }
        let actual = Hex.string(try client.flashMD5(offset: UInt32(backup.range.lowerBound), size: backup.range.count))
        guard actual == backup.sidecar.md5.lowercased() else {
            throw .md5Mismatch(offset: UInt32(backup.range.lowerBound), size: backup.range.count, expected: backup.sidecar.md5, actual: actual)
        }
        return Result(plan: plan, bytesSent: sent)
    }
}
