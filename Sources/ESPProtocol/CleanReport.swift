/// The payload of a CLEAN_FINISH reply: what espwiz's stub did to clean a range, and when.
///
/// Four little-endian words (sectors whose scan finished in the stub's idle time, erases done in
/// idle time, 64 KiB block erases in all, 4 KiB sector erases in all), then the bitmap of the
/// sectors that held data (`BlankScanBitmap`'s layout), all of them erased by then
/// (`Sources/FlasherStub/stub_clean.c`). Shared by the simulator, which encodes it, and the loader
/// client, which decodes it.
public struct CleanReport: Equatable, Sendable, Codable {
    /// Sectors whose scan was done while the stub waited for the host (not in CLEAN_FINISH).
    public var backgroundScannedSectors: Int
    /// Erases (blocks or sectors) done while the stub waited for the host.
    public var backgroundErases: Int
    /// 64 KiB block erases, in all.
    public var blockErases: Int
    /// 4 KiB sector erases, in all.
    public var sectorErases: Int
    /// One flag per sector of the range: true when it held data (and was erased).
    public var dirty: [Bool]

    /// A report.
    public init(backgroundScannedSectors: Int, backgroundErases: Int, blockErases: Int, sectorErases: Int, dirty: [Bool]) {
        self.backgroundScannedSectors = backgroundScannedSectors
        self.backgroundErases = backgroundErases
        self.blockErases = blockErases
        self.sectorErases = sectorErases
        self.dirty = dirty
    }

    /// Payload bytes for a range of `sectors` sectors.
    public static func payloadLength(sectors: Int) -> Int { 16 + BlankScanBitmap.byteCount(sectors: sectors) }

    /// Sectors that held data.
    public var dirtySectorCount: Int { dirty.lazy.filter { $0 }.count }

    /// The payload bytes.
    public func encode() -> [UInt8] {
        LittleEndian.words([UInt32(backgroundScannedSectors), UInt32(backgroundErases), UInt32(blockErases), UInt32(sectorErases)])
            + BlankScanBitmap.encode(dirty)
    }

    /// Decodes a payload for a range of `sectors` sectors; nil when it is too short.
    public static func decode(_ bytes: [UInt8], sectors: Int) -> CleanReport? {
        guard bytes.count >= payloadLength(sectors: sectors) else { return nil }
        return CleanReport(backgroundScannedSectors: Int(LittleEndian.u32(bytes, at: 0)), backgroundErases: Int(LittleEndian.u32(bytes, at: 4)),
                           blockErases: Int(LittleEndian.u32(bytes, at: 8)), sectorErases: Int(LittleEndian.u32(bytes, at: 12)),
                           dirty: BlankScanBitmap.decode(Array(bytes[16...]), sectors: sectors))
    }
}
