/// How to start a simulated board.
public struct BoardOptions: Sendable {
    /// The board to simulate.
    public var profile: BoardProfile
    /// `bootloader` (download mode, as after reset with GPIO0 low) or `firmware` (booted).
    public var initialState: ChipState
    /// Pace output at 10 bits per byte and make flash operations take datasheet time.
    public var realtime: Bool
    /// A symlink to create pointing at the pty (moved on replug).
    public var linkPath: String?
    /// Where to listen for control commands; nil picks a path in the temporary folder.
    public var controlSocketPath: String?
    /// False to run without a control socket (in-process tests).
    public var controlSocket: Bool
    /// Bytes to place in flash at offset 0 before starting.
    public var flashImage: [UInt8]?
    /// Seed for noise and garbling.
    public var seed: UInt64
    /// What runs when the chip boots from flash (nil: `FlashBootRuntime`, the ROM boot and MicroPython).
    public var firmware: FirmwareRuntimeFactory?
    /// Which stub a started RAM program is taken for; nil recognises espwiz's stub by its entry
    /// point (everything else is esptool's). `.esptool` models a stub without LZMA.
    public var stubDialect: StubLoader.Dialect?
    /// espwiz's stub as it was before the scanning sparse READ_FLASH (refuses it with C0), to
    /// test the client's fallback to FLASH_BLANK_SCAN and the bitmap form.
    public var stubWithoutScanningRead = false
    /// How long a stub's CPU work and flash reads take on the chip (realtime boards wait for
    /// it); nil: instantly, as before the model existed.
    public var chipTime: ChipTimeModel?
    /// Start with the flash of a used board (`UsedBoardFlash`) instead of blank flash;
    /// `flashImage` is then written over its start.
    public var usedBoard = false

    /// Creates options; only the profile is required.
    public init(profile: BoardProfile, initialState: ChipState = .bootloader, realtime: Bool = false,
                linkPath: String? = nil, controlSocketPath: String? = nil, controlSocket: Bool = true,
                flashImage: [UInt8]? = nil, seed: UInt64 = 0x5EED, firmware: FirmwareRuntimeFactory? = nil) {
        self.profile = profile
        self.initialState = initialState
        self.realtime = realtime
        self.linkPath = linkPath
        self.controlSocketPath = controlSocketPath
        self.controlSocket = controlSocket
        self.flashImage = flashImage
        self.seed = seed
        self.firmware = firmware
    }
}
