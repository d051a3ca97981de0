import ESPLoader
import ESPProtocol
import FlashEngine
import RemoteSerial

/// The settings the wizard recommends for a board, each with one line on why; the person may change them.
public struct FlashPlan: Sendable, Equatable {
    /// First baud rate.
    public var baud: Int
    /// Why that rate.
    public var baudReason: String
    /// True when the person chose the rate (no automatic fallback).
    public var baudPinned = false
    /// The rates tried after the first, when the link misbehaves.
    public var fallbacks: [Int]
    /// What to erase.
    public var erase: FlashOptions.EraseMode = .clean
    /// Flash mode for the image header.
    public var flashMode: FlashOptions.ModeChoice = .keep
    /// The header's flash mode as the file has it.
    public var headerMode: FlashMode?
    /// True for an ESP8285 (embedded flash wired for DOUT).
    public var isESP8285: Bool

    /// The baud rates offered when changing the plan.
    public static let baudChoices = BaudLadder.standardRungs

    /// Recommends settings for the board behind `port`.
    ///
    /// - Parameter remembered: the rate that worked with this adapter last time.
    ///   - manualBoot: the board needed a manual boot (every retry would need another one).
    public init(port: PortChoice, board: BoardInfo, headerMode: FlashMode?, platform: String, remembered: Int?,
                manualBoot: Bool = false) {
        let advice = BaudAdvisor.recommend(bridge: port.bridge, platform: platform, remembered: remembered)
        baud = advice.baud
        baudReason = advice.reason
        fallbacks = Array(BaudLadder(start: advice.baud).rungs.dropFirst())
        if PortURL.hasFixedRate(port.path) {
            // The engine keeps a raw socket's one rate; the plan says so instead of promising a ladder.
            baud = 115_200
            baudReason = "a socket:// bridge cannot change rate, so the whole run stays at the rate it is set to"
            fallbacks = []
        }
        self.headerMode = headerMode
        isESP8285 = board.isESP8285
        if manualBoot && !board.isESP8285 && headerMode != .dout {
            flashMode = .mode(.dout)
            modeChosenForManualBoot = true
        }
    }

    /// True when DOUT was recommended because every flash-mode retry would need another manual boot.
    public var modeChosenForManualBoot = false

    /// The plan as lines: setting, value, why.
    public var lines: [String] {
        let baudLine = baudPinned
            ? "Baud rate   \(baud), as you chose (no automatic fallback)."
            : fallbacks.isEmpty ? "Baud rate   \(baud): \(baudReason)."
            : "Baud rate   \(baud): \(baudReason); if the link misbehaves: \(fallbacks.map(String.init).joined(separator: ", "))."
        let eraseLine: String
        switch erase {
        case .clean: eraseLine = "Erase       what holds data: old Wi-Fi settings and files go, as with a whole-chip erase, in less time."
        case .chip: eraseLine = "Erase       whole chip: old Wi-Fi settings and files cannot confuse the new firmware."
        case .region: eraseLine = "Erase       only what the firmware covers: faster, but old files may survive."
        }
        let modeLine: String
        switch flashMode {
        case .mode(let m) where modeChosenForManualBoot && m == .dout:
            modeLine = "Flash mode  DOUT: every flash chip runs it, and on a board that needs a manual boot each retry with another mode would need one more."
        case .mode(let m):
            modeLine = "Flash mode  \(m.rawValue.uppercased()), as you chose."
        case .keep:
            if isESP8285 && headerMode != .dout {
                modeLine = "Flash mode  DOUT: the ESP8285's embedded flash uses two data lines."
            } else {
                modeLine = "Flash mode  \(headerMode?.rawValue.uppercased() ?? "as in the file"), as in the file; "
                    + "if the board does not boot, DIO and then DOUT are tried automatically."
            }
        }
        return [baudLine, eraseLine, modeLine]
    }

    /// Applies a changed baud answer: a number from the ladder or any rate 9600…4000000; nil when invalid.
    public mutating func setBaud(_ text: String) -> Bool {
        guard let rate = Int(text), (9600...4_000_000).contains(rate) else { return false }
        if rate != baud { baudPinned = true }
        baud = rate
        return true
    }

    /// Applies a changed erase answer (`chip` or `region`).
    public mutating func setErase(_ text: String) -> Bool {
        guard let mode = FlashOptions.EraseMode(rawValue: text.lowercased()) else { return false }
        erase = mode
        return true
    }

    /// Applies a changed flash-mode answer (`keep`, `qio`, `qout`, `dio`, `dout`).
    public mutating func setFlashMode(_ text: String) -> Bool {
        let t = text.lowercased()
        if t == "keep" {
            flashMode = .keep
            modeChosenForManualBoot = false
            return true
        }
        guard let mode = FlashMode(rawValue: t) else { return false }
        if flashMode != .mode(mode) { modeChosenForManualBoot = false }
        flashMode = .mode(mode)
        return true
    }

    /// The flash-mode answer text for the current choice.
    public var flashModeText: String {
        if case .mode(let m) = flashMode { return m.rawValue }
        return "keep"
    }

    /// Puts the plan into flash options.
    public func apply(to options: inout FlashOptions) {
        options.baud = baudPinned ? baud : nil
        options.erase = erase
        options.flashMode = flashMode
    }
}
