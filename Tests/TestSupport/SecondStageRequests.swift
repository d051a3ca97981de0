import ESPProtocol

/// The commands that live in espwiz's stub's second stage (docs/flasher-stub.md, "Two stages"),
/// one of each, for the tests that check the real stub (QEMU) and the simulated one answer them
/// "not implemented" until the second stage is loaded.
public enum SecondStageRequests {
    /// Reads and scans of the two sectors at `data`, and a clean of the sector at `clean`.
    public static func all(data: UInt32, clean: UInt32) -> [Request] {
        [
            .flashBlankScan(offset: data, size: 0x2000),
            .cleanBegin(offset: clean, size: 0x1000),
            .cleanFinish(offset: clean, size: 0x1000),
            .readFlash(offset: data, length: 4096, packetSize: 4096, maxUnacked: 1),
            .readFlashScan(offset: data, length: 0x2000, packetSize: 4096, maxUnacked: 1),
            .readFlashSparse(offset: data, length: 0x2000, packetSize: 4096, maxUnacked: 1, rereadBlank: true, dirtyMap: [0x01]),
        ]
    }
}
