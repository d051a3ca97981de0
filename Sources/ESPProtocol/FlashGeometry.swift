/// Sizes of flash sectors, erase blocks and loader blocks on the ESP8266.
public enum FlashGeometry {
    /// Smallest erasable unit.
    public static let sectorSize = 0x1000
    /// The 64 KiB block the ROM's erase routine works in.
    public static let blockSize = 0x10000
    /// FLASH_DATA block size the ROM is sent.
    public static let romWriteBlockSize = 0x400
    /// FLASH_DATA block size a stub is sent.
    public static let stubWriteBlockSize = 0x4000
    /// MEM_DATA block size.
    public static let ramBlockSize = 0x1800
    /// Size of a flash page (one program operation).
    public static let pageSize = 0x100
}
