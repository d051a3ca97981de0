import ESPProtocol
import ESPSimulator
import TestSupport

/// Small ESP8266 v1 images built for the runtime tests, and the real MicroPython image placed in flash.
enum RuntimeTestImages {
    /// Builds a v1 image: header, segments, zero padding and the XOR checksum byte at (n·16 − 1).
    static func image(
        segments: [(address: UInt32, data: [UInt8])],
        mode: FlashMode = .dio,
        sizeFreq: UInt8 = 0x40,
        entry: UInt32 = 0x4010_0004,
        corruptChecksum: Bool = false
    ) -> [UInt8] {
        var out: [UInt8] = [0xE9, UInt8(segments.count), mode.headerValue, sizeFreq]
        LittleEndian.append(entry, to: &out)
        var checksum: UInt8 = 0xEF
        for segment in segments {
            LittleEndian.append(segment.address, to: &out)
            LittleEndian.append(UInt32(segment.data.count), to: &out)
            out += segment.data
            for b in segment.data { checksum ^= b }
        }
        while (out.count + 1) % 16 != 0 { out.append(0) }
        out.append(corruptChecksum ? checksum ^ 0x5A : checksum)
        return out
    }

    /// Deterministic filler bytes.
    static func pattern(_ count: Int, seed: UInt8 = 1) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) }
    }

    /// The real MicroPython v1.9.4 image.
    static func microPython() throws -> [UInt8] { try TestEnvironment.loadMicroPythonFirmware() }

    /// The real image with header bytes 2–3 rewritten as esptool does (`--flash_mode`, `--flash_size`).
    static func microPython(mode: FlashMode, sizeFreq: UInt8 = 0x40) throws -> [UInt8] {
        var image = try microPython()
        image[2] = mode.headerValue
        image[3] = sizeFreq
        return image
    }

    /// A 4 MiB flash holding `image` at offset 0.
    static func flash(with image: [UInt8], size: Int = 4 << 20) -> InMemoryFlash {
        InMemoryFlash(size: size, image: image)
    }

    /// Segment (address, length) pairs and the checksum computed independently from an image's bytes.
    static func parse(_ image: [UInt8]) -> (segments: [(UInt32, Int)], checksum: UInt8, checksumOffset: Int) {
        var pos = 8
        var checksum: UInt8 = 0xEF
        var segments: [(UInt32, Int)] = []
        for _ in 0..<Int(image[1]) {
            let address = LittleEndian.u32(image, at: pos)
            let length = Int(LittleEndian.u32(image, at: pos + 4))
            for b in image[(pos + 8)..<(pos + 8 + length)] { checksum ^= b }
            segments.append((address, length))
            pos += 8 + length
        }
        var end = pos
        while (end + 1) % 16 != 0 { end += 1 }
        return (segments, checksum, end)
    }
}
