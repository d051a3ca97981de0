import ESPProtocol

/// Builds small, valid MicroPython-layout images for tests and practice: a v1 boot image, 0xFF
/// padding, the size word at 0x8FFC, irom0 with a banner string at 0x9000, and the MD5 trailer.
public struct SyntheticFirmware: Sendable {
    /// One boot-image segment.
    public struct Segment: Equatable, Sendable {
        /// Load address.
        public var loadAddress: UInt32
        /// Data (padded with zeros to a multiple of 4 when built).
        public var data: [UInt8]
        /// Creates a segment.
        public init(loadAddress: UInt32, data: [UInt8]) {
            self.loadAddress = loadAddress
            self.data = data
        }
    }

    /// Boot-image segments (default: IRAM code, DRAM data, DRAM rodata, like MicroPython).
    public var segments: [Segment]
    /// Entry point.
    public var entry: UInt32
    /// Header flash mode.
    public var flashMode: FlashMode
    /// Header flash size.
    public var flashSize: FlashSize
    /// Header flash frequency.
    public var flashFrequency: FlashFrequency
    /// The banner text embedded (NUL-terminated) in irom0; nil for none.
    public var banner: String?
    /// Bytes of irom0 (at least the banner plus two NULs; rounded up to 4).
    public var irom0Size: Int

    /// A MicroPython banner line for `variant`, e.g. `MicroPython v1.9.4 on 2018-05-11; ESP module (512K) with ESP8266`.
    public static func micropythonBanner(variant: MicroPythonVariant = .standard, version: String = "v1.9.4", date: String = "2018-05-11") -> String {
        "MicroPython \(version) on \(date); \(variant.boardName) with ESP8266"
    }

    /// Deterministic filler bytes (a simple LCG) so test images are not all zeros.
    public static func filler(count: Int, seed: UInt32) -> [UInt8] {
        var state = seed &* 2_654_435_761 &+ 1
        return (0..<count).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
    }

    /// The default boot segments: 64 bytes at 0x40100000, 32 at 0x3FFE8000, 16 at 0x3FFE8020.
    public static let defaultSegments: [Segment] = [
        Segment(loadAddress: 0x4010_0000, data: filler(count: 64, seed: 1)),
        Segment(loadAddress: 0x3FFE_8000, data: filler(count: 32, seed: 2)),
        Segment(loadAddress: 0x3FFE_8020, data: filler(count: 16, seed: 3)),
    ]

    /// Creates a description; defaults give a tiny standard MicroPython v1.9.4 image with header `E9 03 00 20`.
    public init(variant: MicroPythonVariant = .standard,
                banner: String? = nil,
                irom0Size: Int = 4096,
                segments: [Segment] = SyntheticFirmware.defaultSegments,
                entry: UInt32 = 0x4010_0004,
                flashMode: FlashMode = .qio,
                flashSize: FlashSize = .mb1,
                flashFrequency: FlashFrequency = .mhz40) {
        self.segments = segments
        self.entry = entry
        self.flashMode = flashMode
        self.flashSize = flashSize
        self.flashFrequency = flashFrequency
        self.banner = banner ?? Self.micropythonBanner(variant: variant)
        self.irom0Size = irom0Size
    }

    /// A v1 boot image (header, segments, zero padding, checksum) from raw parts.
    public static func bootImage(segments: [Segment], entry: UInt32, flashMode: FlashMode = .qio,
                                 flashSize: FlashSize = .mb1, flashFrequency: FlashFrequency = .mhz40) -> [UInt8] {
        var out: [UInt8] = [ESPImage.magic, UInt8(segments.count), flashMode.headerValue,
                            flashSize.headerNibble << 4 | flashFrequency.headerNibble]
        LittleEndian.append(entry, to: &out)
        var checksum = ESPChecksum.seed
        for segment in segments {
            var data = segment.data
            while data.count % 4 != 0 { data.append(0) }
            LittleEndian.append(segment.loadAddress, to: &out)
            LittleEndian.append(UInt32(data.count), to: &out)
            out += data
            checksum = ESPChecksum.compute(data, initial: checksum)
        }
        let checksumOffset = ESPImage.checksumOffset(segmentsEnd: out.count)
        out += [UInt8](repeating: 0, count: checksumOffset - out.count)
        out.append(checksum)
        return out
    }

    /// The irom0 part: filler with the banner embedded NUL-terminated after 64 bytes.
    public var irom0: [UInt8] {
        var bytes = Self.filler(count: 64, seed: 4).map { $0 | 0x80 }  // no accidental ASCII
        if let banner { bytes += [0] + Array(banner.utf8) + [0] }
        let size = max(irom0Size, bytes.count)
        bytes += Self.filler(count: size - bytes.count, seed: 5).map { $0 | 0x80 }
        while bytes.count % 4 != 0 { bytes.append(0) }
        return bytes
    }

    /// The whole firmware file.
    public func build() -> [UInt8] {
        var out = Self.bootImage(segments: segments, entry: entry, flashMode: flashMode,
                                 flashSize: flashSize, flashFrequency: flashFrequency)
        precondition(out.count <= MicroPythonLayout.sizeWordOffset, "boot image too large for the MicroPython layout")
        out += [UInt8](repeating: 0xFF, count: MicroPythonLayout.sizeWordOffset - out.count)
        let code = irom0
        let total = MicroPythonLayout.irom0Offset + code.count
        LittleEndian.append(UInt32(total), to: &out)
        out += code
        out += MicroPythonLayout.md5(of: out, end: total)
        return out
    }
}
