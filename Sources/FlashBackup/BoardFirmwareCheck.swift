import ESPLoader
import ESPProtocol
import FirmwareImage

/// A quick look at what the board holds, for deciding whether to offer a backup before erasing
/// (the wizard, `espwiz flash --backup`): 8 to 16 KiB read and one MD5 on the chip, not the whole image.
///
/// MicroPython for the ESP8266 carries its own check (`esp.check_fw()`): a size word at 0x8FFC
/// and, at that offset, the MD5 of bytes [4, size). When the stub's MD5 of that range equals the
/// stored one, the board holds an intact MicroPython (its banner lies hundreds of KiB further in,
/// so the version is left to a full backup). Anything else is identified from the strings in the
/// sectors read: the first, the one holding MicroPython's size word, and the ones its layout
/// (`BootLayout`) points at (the application behind a boot loader, a plain SDK build's irom0).
public enum BoardFirmwareCheck {
    /// Identifies the firmware at 0 through the running stub.
    public static func identify(client: LoaderClient) throws(LoaderError) -> InstalledFirmware {
        let sector = FlashGeometry.sectorSize
        let first = try client.readFlash(offset: 0, length: sector)
        let layoutSector = MicroPythonLayout.sizeWordOffset / sector * sector
        let second = try client.readFlash(offset: UInt32(layoutSector), length: sector)
        let word = Int(LittleEndian.u32(second, at: MicroPythonLayout.sizeWordOffset - layoutSector))
        if first.first == 0xE9, word >= MicroPythonLayout.irom0Offset, word <= MicroPythonLayout.maximumSize, word % 4 == 0 {
            let computed = try client.flashMD5(offset: 4, size: word - 4)
            let stored = try client.readFlash(offset: UInt32(word), length: MicroPythonLayout.trailerLength)
            if computed == stored {
                return InstalledFirmware(kind: .micropython, evidence: "size word \(word) and its MD5 trailer match (esp.check_fw)",
                                        hasImageHeader: true)
            }
        }
        // The layout of the image at 0 says where its name is likelier to be: read up to two
        // more sectors there (4 KiB: 0.36 s each on the wire at 115,200 baud).
        let layout = BootLayout(sector0: first)
        var sectors: [(Int, [UInt8])] = [(0, first), (layoutSector, second)]
        for address in layout?.sectorsToRead ?? [] where !sectors.contains(where: { $0.0 == address }) {
            sectors.append((address, try client.readFlash(offset: UInt32(address), length: sector)))
        }
        let end = sectors.map { $0.0 + sector }.max() ?? sector
        var head = [UInt8](repeating: 0xFF, count: end)
        for (address, bytes) in sectors { head.replaceSubrange(address..<(address + sector), with: bytes) }
        var identity = InstalledFirmware(flash: head)
        // A few sectors cannot prove MicroPython (its banner is further in); never claim it here.
        if identity.kind == .micropython { identity = InstalledFirmware(kind: .unknownImage, hasImageHeader: identity.hasImageHeader) }
        identity.layout = layout
        return identity
    }
}
