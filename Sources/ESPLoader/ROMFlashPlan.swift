import ESPProtocol

/// The FLASH_BEGIN parameters and block layout for writing data through the ESP8266 ROM loader.
///
/// Like esptool, an offset that is not 4 KiB aligned is moved down to the sector start and the
/// data is prefixed with 0xFF. The erase size carries the ROM erase-bug workaround, the block
/// count is `ceil(size / 1024)`, and the last block is padded with 0xFF to 1024 bytes.
public struct ROMFlashPlan: Equatable, Sendable {
    /// Flash address of the first byte written (sector aligned).
    public let offset: UInt32
    /// 0xFF bytes written before the data to reach `offset`.
    public let leadingPadding: Int
    /// Bytes written: padding plus data.
    public let size: Int
    /// FLASH_BEGIN word 0: `ROMEraseWorkaround.eraseSize(offset, size)`.
    public let eraseSize: UInt32
    /// FLASH_BEGIN word 1.
    public let blockCount: Int
    /// FLASH_BEGIN word 2 (1024).
    public let blockSize: Int
    /// FLASH_BEGIN timeout: the ROM erases before replying, `max(3 s, 40 s per MB of size)`.
    public let beginTimeout: Duration

    /// Plans writing `dataSize` bytes at `offset` through `loader` (a stub gets the plain erase
    /// size and the standard timeout: it has no erase bug and erases as it writes).
    ///
    /// With `erase` false (the range is known to be blank already) the ROM gets erase size 0, so
    /// it erases nothing and replies at once; the blocks still go to the same place.
    public init(offset requestedOffset: UInt32, dataSize: Int, blockSize: Int = FlashGeometry.romWriteBlockSize,
                loader: LoaderKind = .rom, erase: Bool = true) {
        let sector = UInt32(FlashGeometry.sectorSize)
        offset = requestedOffset / sector * sector
        leadingPadding = Int(requestedOffset - offset)
        size = dataSize + leadingPadding
        self.blockSize = blockSize
        blockCount = (size + blockSize - 1) / blockSize
        if loader == .rom && !erase {
            eraseSize = 0
            beginTimeout = LoaderTimeouts.standard
        } else if loader == .rom {
            eraseSize = ROMEraseWorkaround.eraseSize(offset: offset, size: UInt32(size))
            beginTimeout = LoaderTimeouts.scaled(secondsPerMB: LoaderTimeouts.eraseSecondsPerMB, bytes: size)
        } else {
            eraseSize = UInt32(size)
            beginTimeout = LoaderTimeouts.standard
        }
    }

    /// The FLASH_BEGIN request.
    public var beginRequest: Request {
        .flashBegin(eraseSize: eraseSize, blocks: UInt32(blockCount), blockSize: UInt32(blockSize), offset: offset)
    }

    /// Block `index` of `data` (which is the caller's data without the leading padding), padded with 0xFF.
    public func block(_ index: Int, of data: [UInt8]) -> [UInt8] {
        precondition(index >= 0 && index < blockCount)
        var out: [UInt8] = []
        out.reserveCapacity(blockSize)
        let start = index * blockSize            // position in padded stream
        let end = start + blockSize
        if start < leadingPadding {
            out.append(contentsOf: repeatElement(0xFF, count: min(leadingPadding, end) - start))
        }
        let dataStart = max(start - leadingPadding, 0)
        let dataEnd = min(end - leadingPadding, data.count)
        if dataStart < dataEnd { out.append(contentsOf: data[dataStart..<dataEnd]) }
        if out.count < blockSize { out.append(contentsOf: repeatElement(0xFF, count: blockSize - out.count)) }
        return out
    }

    /// The flash bytes the blocks cover: `offset ..< offset + blockCount × blockSize`.
    public var writtenRange: Range<Int> { Int(offset)..<Int(offset) + blockCount * blockSize }

    /// Data bytes (padding excluded) contained in blocks `0...index`.
    public func dataBytes(throughBlock index: Int) -> Int {
        min(max((index + 1) * blockSize - leadingPadding, 0), size - leadingPadding)
    }
}
