import ESPProtocol

/// Where MicroPython on the ESP8266 keeps its RF init data and its filesystem, computed the way the firmware does.
///
/// - The SDK's idea of the chip size comes from the high nibble of image header byte 3 (what esptool's
///   `--flash_size` writes), not from the physical chip; `esp.flash_size()` returns it.
/// - RF init data: 128 bytes at `min(chip size, 4 MiB) − 0x4000`; blank → `Writing init data`.
/// - Filesystem (from `flashbdev.py`): none below 1 MiB or on the 512K variant; v1.12 and older (and the
///   CircuitPython 3 port) start at 0x99000 (irom0 end 0x98000 plus one reserved sector); newer builds:
///   1M variant 0x99000, standard build 0x100000. It ends 20 KiB before the end of the chip.
struct FirmwareFlashLayout {
    /// The firmware the layout belongs to.
    let identity: FirmwareIdentity
    /// Chip size as the SDK sees it.
    let sdkChipSize: Int

    static let sectorSize = 0x1000
    static let initDataLength = 128

    init(identity: FirmwareIdentity, flash: FlashAccess) {
        self.identity = identity
        let nibble = flash.byte(at: 3) >> 4
        sdkChipSize = FlashSize(headerNibble: nibble)?.bytes ?? flash.size
    }

    /// Whether the build predates the v1.13 flash-layout change (FAT, filesystem right after irom0).
    var isLegacyLayout: Bool {
        if identity.kind == .circuitPython { return true }
        return identity.versionNumbers.lexicographicallyPrecedes([1, 13])
    }

    /// Offset of the 128-byte RF init-data record the firmware checks at start.
    var initDataOffset: Int { min(sdkChipSize, 4 << 20) - 0x4000 }

    /// `esp.flash_user_start()`: the end of the irom0 region.
    var userStart: Int {
        if identity.boardName.contains("512K") { return 0x7B000 }
        if isLegacyLayout || identity.boardName.contains("1M") { return 0x98000 }
        return 0x10_0000
    }

    /// First byte of the filesystem, or nil when the firmware has none on this chip size.
    var filesystemStart: Int? {
        guard sdkChipSize >= 1 << 20, !identity.boardName.contains("512K") else { return nil }
        var startSector = userStart / Self.sectorSize
        if isLegacyLayout || startSector < 256 { startSector += 1 }
        let start = startSector * Self.sectorSize
        return start < filesystemEnd ? start : nil
    }

    /// End of the filesystem (20 KiB are kept for SDK parameters).
    var filesystemEnd: Int { sdkChipSize - 20 * 1024 }

    /// Filesystem size in sectors.
    var filesystemSectors: Int {
        guard let start = filesystemStart else { return 0 }
        return (filesystemEnd - start) / Self.sectorSize
    }

    /// What `_boot.py` finds when it mounts the filesystem.
    func filesystemState(_ flash: FlashAccess) -> FilesystemState {
        guard let start = filesystemStart else { return .absent }
        let first = flash.read(start, Self.sectorSize)
        if first.allSatisfy({ $0 == 0xFF }) { return .blank }
        if first.count >= 512, first[510] == 0x55, first[511] == 0xAA { return .mountable }
        if !isLegacyLayout {
            let magic = Array("littlefs".utf8)
            if Array(first[8..<16]) == magic || Array(flash.read(start + Self.sectorSize + 8, 8)) == magic {
                return .mountable
            }
        }
        return .corrupt
    }

    /// Writes a minimal filesystem marker at the filesystem start (what `inisetup` leaves after formatting):
    /// a FAT boot sector with the 0x55AA signature for legacy builds, a littlefs-style superblock tag otherwise.
    /// It is a marker for the simulator, not a complete filesystem.
    func writeFilesystemMarker(_ flash: FlashAccess) {
        guard let start = filesystemStart else { return }
        flash.eraseSector(start / Self.sectorSize)
        var sector = [UInt8](repeating: 0, count: 512)
        if isLegacyLayout {
            sector.replaceSubrange(0..<3, with: [0xEB, 0xFE, 0x90])
            sector.replaceSubrange(3..<11, with: Array("MSDOS5.0".utf8))
            sector[11] = 0x00; sector[12] = 0x10  // 4096 bytes per sector
            sector[13] = 1  // sectors per cluster
            sector[14] = 1  // reserved sectors
            sector[16] = 1  // number of FATs
            sector[510] = 0x55; sector[511] = 0xAA
        } else {
            sector.replaceSubrange(0..<4, with: [0x01, 0x00, 0x00, 0x00])  // revision count
            sector.replaceSubrange(8..<16, with: Array("littlefs".utf8))
        }
        flash.program(start, sector)
    }

    /// The RF init-data record written on first boot. The simulator only needs it to be non-blank:
    /// byte 0 is 0x05 (the version byte the SDK checks, "rf_cal[0] != 0x05" in its error), the rest zero.
    static let initDataRecord: [UInt8] = [0x05] + [UInt8](repeating: 0, count: initDataLength - 1)
}

/// What `_boot.py` finds at the filesystem start.
enum FilesystemState: Equatable {
    /// The firmware has no filesystem on this chip size.
    case absent
    /// All 0xFF: first boot, `Performing initial setup`.
    case blank
    /// A filesystem is there.
    case mountable
    /// Not blank and not a filesystem: the firmware reports it as corrupt.
    case corrupt
}
