import ESPLoader
import ESPProtocol
import FirmwareImage

/// The flash mode and size written into the image header for one board, and the patched bytes (pure logic).
///
/// Shared by the writing phase (the first write) and the boot check (a header rewritten with a
/// safer mode when the board does not boot), so both patch the same checked bytes the same way.
struct ImageSettings {
    /// The checked firmware bytes, as read once before the board was touched.
    let image: [UInt8]
    /// The flash mode in the file's header.
    let headerMode: FlashMode?
    /// `--flash-mode`.
    let flashMode: FlashOptions.ModeChoice
    /// `--flash-size`.
    let flashSize: FlashOptions.SizeChoice
    /// What the probe read.
    let info: BoardInfo

    /// The flash mode to write: the option, or DOUT for ESP8285 (embedded flash wired for DOUT); nil keeps the file's.
    var mode: (FlashMode?, String) {
        switch flashMode {
        case .mode(let m): return (m, "flash mode \(m.rawValue.uppercased()) as asked")
        case .keep:
            if info.isESP8285 && headerMode != .dout {
                return (.dout, "ESP8285 chips need DOUT (their embedded flash uses two data lines)")
            }
            return (nil, "flash mode kept as in the file (\(headerMode?.rawValue.uppercased() ?? "?")); a safer mode is tried automatically if the board does not boot")
        }
    }

    /// The flash size to write into the header; nil keeps the file's.
    var size: FlashSize? {
        switch flashSize {
        case .keep: nil
        case .size(let s): s
        case .detect: info.flashSize.flatMap { FlashSize(bytes: $0) }
        }
    }

    /// The image with the header patched for `mode` and the chosen size; `message` says what changed, when anything did.
    func patched(mode: FlashMode?) -> (bytes: [UInt8], message: String?) {
        let result = HeaderPatch(mode: mode, size: size).apply(to: image)
        if case .patched = result.outcome { return (result.bytes, result.message) }
        return (result.bytes, nil)
    }
}
