/// The one manual-boot prompt ("hold FLASH/GPIO0, tap RESET"), shown by flash, probe, the wizard and
/// the station's table whenever the port cannot reset the board into its bootloader.
public enum ManualBootPrompt {
    /// Why a person must act, and the three steps.
    public static let instructions = [
        "This board did not enter its bootloader by itself (no auto-reset wiring, or the port cannot drive DTR/RTS).",
        "1. Hold the FLASH (GPIO0) button down — on an ESP-01, connect GPIO0 to GND.",
        "2. Tap RESET (or briefly connect RST to GND, or unplug and replug the power) while still holding FLASH.",
        "3. Release FLASH (on an ESP-01 you may leave GPIO0 on GND until flashing is done).",
    ]

    /// The heading above the steps: the first request, or a repeat after the chip still did not answer.
    public static func headline(attempt: Int) -> String {
        attempt == 1 ? "Manual boot needed" : "Still no answer: try the manual boot again"
    }
}
