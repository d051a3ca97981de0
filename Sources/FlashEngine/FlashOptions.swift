import ESPProtocol
import Foundation

/// Everything a flash run can be told: what to write, where, and how.
public struct FlashOptions: Sendable {
    /// How much of the flash to erase before writing.
    public enum EraseMode: String, Sendable, CaseIterable {
        /// The default: the same clean start as a whole-chip erase (old Wi-Fi settings and
        /// filesystems go too), but only the sectors that hold data are erased. espwiz's stub scans
        /// the flash for them; through the ROM loader alone, which cannot read flash, the whole chip.
        case clean
        /// The whole chip, whatever it holds.
        case chip
        /// Only the sectors the image covers.
        case region
    }

    /// Flash mode choice for the image header.
    public enum ModeChoice: Sendable, Equatable {
        /// Leave the header as the file has it.
        case keep
        /// Write this mode.
        case mode(FlashMode)
    }

    /// Flash size choice for the image header.
    public enum SizeChoice: Sendable, Equatable {
        /// Use the size the chip reports (esptool's `detect`).
        case detect
        /// Leave the header as the file has it.
        case keep
        /// Write this size.
        case size(FlashSize)
    }

    /// The firmware file.
    public var firmwarePath: String
    /// The serial port; nil means detect.
    public var port: String?
    /// A pinned baud rate (disables the ladder); nil means recommend and fall back.
    public var baud: Int?
    /// What to erase.
    public var erase: EraseMode = .clean
    /// Flash mode for the header.
    public var flashMode: ModeChoice = .keep
    /// Flash size for the header.
    public var flashSize: SizeChoice = .detect
    /// Where to write the run record; nil means the state directory.
    public var recordPath: String?
    /// Where to write install docs; nil means next to the record.
    public var docsDirectory: String?
    /// Practise on a built-in simulated board with this profile id instead of a real port.
    public var simulateProfile: String?
    /// Skip booting the firmware and checking it (the run then never reports success).
    public var skipVerify: Bool = false
    /// Flash through espwiz's own flasher stub (compressed, MD5-checked); falls back to the ROM
    /// loader on its own when the stub does not start. False forces the ROM path (`--no-stub`).
    public var useStub: Bool = true
    /// Do not drive DTR/RTS to enter the bootloader: the board is already in it (`--no-reset`,
    /// like esptool's `--before no-reset`). When it does not answer, the manual boot follows.
    public var noReset: Bool = false
    /// Only find and identify the board (`espwiz probe`): no firmware, nothing written.
    public var probeOnly: Bool = false
    /// Command name for the record (`flash`, `wizard` or `probe`).
    public var commandName: String = "flash"

    /// Options for a firmware file with everything else at its default.
    public init(firmwarePath: String) { self.firmwarePath = firmwarePath }
}
