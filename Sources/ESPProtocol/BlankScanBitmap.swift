/// The payload of a FLASH_BLANK_SCAN reply: one bit per 4 KiB sector, set when it is not blank.
///
/// Sector i of the scanned range is bit `i % 8` of byte `i / 8` (least significant bit first),
/// the layout espwiz's stub writes (`Sources/FlasherStub/stub_blank_scan.c`). Shared by the
/// simulator, which encodes it, and the loader client, which decodes it.
public enum BlankScanBitmap {
    /// Bytes of bitmap for `sectors` sectors.
    public static func byteCount(sectors: Int) -> Int { (max(0, sectors) + 7) / 8 }

    /// The bitmap for a list of per-sector "dirty" flags.
    public static func encode(_ dirty: [Bool]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: byteCount(sectors: dirty.count))
        for (i, d) in dirty.enumerated() where d { bytes[i / 8] |= UInt8(1) << UInt8(i % 8) }
        return bytes
    }

    /// Per-sector "dirty" flags for `sectors` sectors (bits past the end are ignored).
    public static func decode(_ bytes: [UInt8], sectors: Int) -> [Bool] {
        (0..<max(0, sectors)).map { i in i / 8 < bytes.count && bytes[i / 8] & (UInt8(1) << UInt8(i % 8)) != 0 }
    }
}
