import ESPProtocol

/// A parsed ESP8266 "v1" image: the format the ROM boots from flash offset 0.
///
/// Layout: magic 0xE9, segment count, flash mode, size/frequency byte, entry point, then
/// `{load address, length, data}` per segment, zero padding so the checksum byte ends a
/// 16-byte block, and one checksum byte (0xEF XOR every segment data byte).
public struct ESPImage: Equatable, Sendable {
    /// Magic byte of a v1 image.
    public static let magic: UInt8 = 0xE9
    /// Magic byte of an SDK "v2" image.
    public static let v2Magic: UInt8 = 0xEA
    /// Length of the common header.
    public static let headerLength = 8
    /// esptool refuses images with more segments than this.
    public static let maximumSegments = 16

    /// Segment count from header byte 1.
    public var segmentCount: Int
    /// Header byte 2 as stored.
    public var flashModeByte: UInt8
    /// Header byte 3 as stored (size in the high nibble, frequency in the low nibble).
    public var flashSizeFrequencyByte: UInt8
    /// Entry point address.
    public var entry: UInt32
    /// The segments in file order.
    public var segments: [ImageSegment]
    /// File offset of the checksum byte.
    public var checksumOffset: Int
    /// The checksum byte stored in the file.
    public var storedChecksum: UInt8
    /// The checksum computed over the segment data.
    public var computedChecksum: UInt8

    /// Flash mode named by byte 2, or nil for an unknown value.
    public var flashMode: FlashMode? { FlashMode(headerValue: flashModeByte) }
    /// Flash size named by the high nibble of byte 3, or nil for an unknown value.
    public var flashSize: FlashSize? { FlashSize(headerNibble: flashSizeFrequencyByte >> 4) }
    /// Flash frequency named by the low nibble of byte 3, or nil for an unknown value.
    public var flashFrequency: FlashFrequency? { FlashFrequency(headerNibble: flashSizeFrequencyByte & 0x0F) }
    /// True when the stored checksum matches the segment data.
    public var checksumIsValid: Bool { storedChecksum == computedChecksum }
    /// File offset just past the checksum byte: where the image ends.
    public var endOffset: Int { checksumOffset + 1 }
    /// Segments whose load address is outside every ESP8266 region (esptool warns about these).
    public var unusualSegments: [ImageSegment] { segments.filter { $0.region == nil } }

    /// Offset of the checksum byte for segments ending at `segmentsEnd`: the first offset at or
    /// after it such that `offset + 1` is a multiple of 16.
    public static func checksumOffset(segmentsEnd: Int) -> Int {
        (segmentsEnd + 1 + 15) / 16 * 16 - 1
    }

    /// Parses `bytes` as an ESP8266 v1 image. A bad checksum does not throw (see `checksumIsValid`);
    /// everything that stops the image from being read does.
    public init(parsing bytes: [UInt8]) throws(ImageFormatError) {
        guard let first = bytes.first else { throw .empty }
        if first == Self.v2Magic { throw .sdkV2Image }
        guard first == Self.magic else { throw .wrongMagic(first) }
        if let chip = ESP32FamilyChip.detect(in: bytes) { throw .esp32FamilyImage(chip) }
        guard bytes.count >= Self.headerLength else { throw .truncatedHeader(length: bytes.count) }
        segmentCount = Int(bytes[1])
        guard segmentCount <= Self.maximumSegments else { throw .tooManySegments(segmentCount) }
        flashModeByte = bytes[2]
        flashSizeFrequencyByte = bytes[3]
        entry = LittleEndian.u32(bytes, at: 4)

        var offset = Self.headerLength
        var checksum = ESPChecksum.seed
        var parsed: [ImageSegment] = []
        for index in 0..<segmentCount {
            guard offset + 8 <= bytes.count else {
                throw .truncatedSegment(index: index, loadAddress: nil, declaredLength: nil, available: bytes.count - offset)
            }
            let address = LittleEndian.u32(bytes, at: offset)
            let length = Int(LittleEndian.u32(bytes, at: offset + 4))
            let segment = ImageSegment(loadAddress: address, length: length, headerOffset: offset)
            guard segment.endOffset <= bytes.count else {
                throw .truncatedSegment(index: index, loadAddress: address, declaredLength: length,
                                        available: bytes.count - segment.dataOffset)
            }
            checksum = ESPChecksum.compute(bytes[segment.dataOffset..<segment.endOffset], initial: checksum)
            parsed.append(segment)
            offset = segment.endOffset
        }
        segments = parsed
        computedChecksum = checksum
        checksumOffset = Self.checksumOffset(segmentsEnd: offset)
        guard checksumOffset < bytes.count else {
            throw .truncatedBeforeChecksum(checksumOffset: checksumOffset, fileLength: bytes.count)
        }
        storedChecksum = bytes[checksumOffset]
    }
}
