import ESPProtocol

/// The flash of a board that has been used: an older firmware at 0, a MicroPython filesystem
/// with a few files, stray sectors some other program wrote, and the SDK's RF calibration and
/// Wi-Fi settings in the last sectors. For tests and benchmarks of a "clean" flash, after which
/// every byte the new image does not cover must read 0xFF.
public struct UsedBoardFlash: Equatable, Sendable {
    /// The byte ranges that hold data, in address order (for checking what a clean flash erased).
    public let dirtyRanges: [Range<Int>]
    /// The flash contents.
    public let bytes: [UInt8]

    /// The layout for a flash of `flashSize` bytes, with pseudo-random contents from `seed`.
    ///
    /// - old firmware: 0 ..< min(0xA0000, size / 2), a longer build than MicroPython v1.9.4's
    ///   595,572 bytes, so its tail lies past the new image;
    /// - filesystem: from 0x90000 (MicroPython's `flash_user_start` on these builds) or, on a
    ///   512 KB part, from 0x60000: its first 8 sectors (boot sector, FAT, root directory) and
    ///   6 sectors of file data further in;
    /// - 6 stray sectors spread over the rest;
    /// - the SDK's last 5 sectors (RF calibration, `esp_init_data`, system and Wi-Fi parameters).
    public init(flashSize: Int, seed: UInt64 = 0xB0A2D) {
        let sector = FlashGeometry.sectorSize
        var ranges: [Range<Int>] = []
        let firmwareEnd = min(0xA0000, flashSize / 2)
        ranges.append(0..<firmwareEnd)
        let fsStart = flashSize > 0x80000 ? 0x90000 : 0x60000
        let sdkStart = flashSize - 5 * sector
        if fsStart + 24 * sector <= sdkStart {
            ranges.append(fsStart..<(fsStart + 8 * sector))
            for i in 0..<6 { ranges.append((fsStart + (12 + i * 2) * sector)..<(fsStart + (12 + i * 2) * sector + 1500)) }
        }
        var rng = SplitMix64(seed: seed)
        let strayFrom = max(firmwareEnd, fsStart + 32 * sector) / sector, strayTo = sdkStart / sector
        if strayTo > strayFrom {
            for _ in 0..<6 {
                let s = strayFrom + Int(rng.next() % UInt64(strayTo - strayFrom))
                let at = s * sector + Int(rng.next() % 1024) * 4
                ranges.append(at..<min(at + 64, (s + 1) * sector))
            }
        }
        ranges.append(sdkStart..<flashSize)
        var bytes = [UInt8](repeating: 0xFF, count: flashSize)
        for r in ranges {
            for i in r { bytes[i] = UInt8(truncatingIfNeeded: rng.next() >> 24) & 0xFE }
        }
        self.bytes = bytes
        dirtyRanges = ranges.sorted { $0.lowerBound < $1.lowerBound }
    }
}
