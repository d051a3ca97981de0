/// How the firmware at flash offset 0 is laid out, read from its first sector: which other
/// sectors are worth reading to find the strings that name it.
///
/// Layouts (facts from public sources, no code copied):
/// - Espressif NonOS SDK, no boot loader: `eagle.flash.bin` at 0x00000 and
///   `eagle.irom0text.bin` at 0x10000 (SDK 1.x and later; NonOS SDK bin/at README "NON-BOOT
///   MODE") or 0x40000 (older SDKs and projects built by esptool-ck with `-es .irom0.text
///   0x40000.bin`). NodeMCU builds use this layout.
/// - Espressif NonOS SDK with its boot loader (OTA): `boot_v1.x.bin` at 0 and `user1.bin` at
///   0x1000 (NonOS SDK bin/at README "BOOT MODE"; Espruino's README_flash.txt). The AT firmware
///   ships like this. boot_v1.x prints "2nd boot version" at start.
/// - Arduino core (and Tasmota, an Arduino sketch): `eboot` at 0, a small image that loads the
///   application found at 0x1000 (APP_START_OFFSET in the core's eboot sources); the sketch's
///   read-only strings live in its irom segment, further into that image.
public enum BootLayout: String, Equatable, Sendable, Codable {
    /// A full NonOS SDK image at 0, its irom0 part at 0x10000 or 0x40000.
    case sdkPlain = "sdk-plain"
    /// Espressif's boot_v1.x at 0 and an application at 0x1000.
    case espressifBoot = "espressif-boot"
    /// Another small boot loader at 0 (an Arduino core's eboot) and an application at 0x1000.
    case bootloaderAndApp = "bootloader-and-app"

    /// Where the application of a boot-loader layout starts.
    public static let applicationOffset = 0x1000
    /// Where a plain SDK build's irom0 part may start.
    public static let iromOffsets = [0x10000, 0x40000]

    /// The layout of the image whose first sector is `sector0`, or nil when it is not an
    /// ESP8266 boot image (magic 0xE9) or its segment table runs past the sector.
    public init?(sector0: [UInt8]) {
        guard sector0.count >= 8, sector0[0] == 0xE9 else { return nil }
        if StringScan(sector0).firstLine(containing: "2nd boot version") != nil {
            self = .espressifBoot
            return
        }
        // Walk the segment table: a boot loader's segments all end inside the first sector.
        var at = 8
        for _ in 0..<Int(sector0[1]) {
            guard at + 8 <= sector0.count else {
                self = .sdkPlain // the segments run past the first sector: a full application
                return
            }
            let size = Int(sector0[at + 4]) | Int(sector0[at + 5]) << 8 | Int(sector0[at + 6]) << 16 | Int(sector0[at + 7]) << 24
            at += 8 + size
        }
        self = at <= Self.applicationOffset ? .bootloaderAndApp : .sdkPlain
    }

    /// The sectors (besides the first) whose strings are searched for this layout: the start of
    /// the application behind a boot loader, its next sector, or the plain build's irom0 starts.
    public var sectorsToRead: [Int] {
        switch self {
        case .espressifBoot, .bootloaderAndApp: [Self.applicationOffset, Self.applicationOffset + 0x1000]
        case .sdkPlain: Self.iromOffsets
        }
    }

    /// For people: what the layout says about the firmware when no string names it.
    public var summary: String {
        switch self {
        case .sdkPlain: "a NonOS SDK build without a boot loader, as NodeMCU ships"
        case .espressifBoot: "Espressif's boot loader with an application at 0x1000, as the AT firmware ships"
        case .bootloaderAndApp: "a small boot loader with an application at 0x1000, as Arduino sketches (and Tasmota) ship"
        }
    }
}
