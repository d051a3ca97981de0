/// Whether to SYNC with the ROM above 115200 on this adapter, and at what rate (pure logic).
///
/// Since the stub raises the rate itself (CHANGE_BAUDRATE), the bootloader is normally entered at
/// the ROM's 115200 and the stub's first stage (11.6 KB) goes over there: about 1.0 s even when the
/// write then runs at 921600. The ESP8266 ROM measures the rate from the SYNC packet's preamble
/// ("sync packets can be sent at any baud rate", Espressif's serial-protocol guide), so a SYNC at a
/// higher rate puts the ROM there and the first stage goes faster. How high: an Espressif
/// maintainer calls the ROM's autobaud "pretty reliable below 230400/460800, less reliable at very
/// high speeds, which is why esptool autobauds at 115200 and then scales up" (esptool issue #365;
/// esptool 1.0 synced at the asked rate directly and its README said most setups work at 230400,
/// only some at 460800). So espwiz goes no higher than 230400, the rate named reliable by both, and
/// only on an adapter that already ran a write cleanly above 115200 (adapters.json), and never
/// again after a fast SYNC failed there. A fast SYNC that fails is tried again at 115200 on the same
/// reset (`BootloaderConnection`), and counts neither as a noisy link nor as a stub fault.
public enum FastSync {
    /// The highest rate espwiz SYNCs at (see above).
    public static let cap = 230_400
    /// The ROM's own rate, where a failed fast SYNC is tried again.
    static let romBaud = 115_200

    /// The rate to SYNC at on an adapter with `memory`, or nil for the ROM's 115200.
    ///
    /// - Parameters:
    ///   - stubFirst: the stub will run (its upload is what a fast SYNC speeds up; the ROM loader alone syncs at its rung anyway).
    ///   - pinned: `--baud` was given (such runs stay as they are).
    ///   - fixedRate: the port cannot change rate (`socket://`).
    public static func rate(memory: AdapterMemory.Entry?, stubFirst: Bool, pinned: Bool, fixedRate: Bool) -> Int? {
        guard stubFirst, !pinned, !fixedRate, let memory, memory.fastSyncFailed != true,
              let working = memory.workingBaud, working > romBaud else { return nil }
        return min(working, cap)
    }
}
