/// The ESP8266 ROM's FLASH_BEGIN erase-size bug and esptool's workaround for it.
///
/// The ROM erases `min(n, H)` sectors up to the next 64 KiB boundary and then `n` more, where `n`
/// is the sector count it was sent and `H` the sectors left in the first 64 KiB block. To make it
/// erase exactly the `S` sectors needed, the client sends a smaller size.
public enum ROMEraseWorkaround {
    /// The erase size to send in FLASH_BEGIN so the ROM erases `[offset, offset + size)`.
    ///
    /// Same results as esptool's `get_erase_size` for every offset and size.
    public static func eraseSize(offset: UInt32, size: UInt32) -> UInt32 {
        let sectorsPerBlock: UInt32 = 16
        let sector = UInt32(FlashGeometry.sectorSize)
        let numSectors = (size + sector - 1) / sector
        let startSector = offset / sector
        var head = sectorsPerBlock - (startSector % sectorsPerBlock)
        if numSectors < head { head = numSectors }
        if numSectors < 2 * head {
            return (numSectors + 1) / 2 * sector
        }
        return (numSectors - head) * sector
    }

    /// Sectors the ROM really erases when sent `sentSize` at `offset` (the bug model).
    ///
    /// Returns the first sector and the count.
    public static func romErasedSectors(offset: UInt32, sentSize: UInt32) -> (first: UInt32, count: UInt32) {
        let sector = UInt32(FlashGeometry.sectorSize)
        let n = (sentSize + sector - 1) / sector
        let start = offset / sector
        let head = 16 - start % 16
        guard n > 0 else { return (start, 0) }
        return (start, min(n, head) + n)
    }
}
