import ESPProtocol

extension StubLoader {
    /// Bytes espwiz's stub reads per step of its blank scan (`STUB_SCRATCH_SIZE` in stub_wire.h):
    /// a dirty sector's scan stops after the first piece holding a non-0xFF byte.
    static let blankScanPiece = 1024

    /// FLASH_BLANK_SCAN as espwiz's stub answers it: C0 unless offset and size are whole
    /// sectors, C4 past the flash (or over 16 MiB); else the dirty-sector count in the value
    /// and the bitmap (`BlankScanBitmap`) as payload, after the modelled scan time.
    func blankScan(_ op: UInt8, offset: Int, size: Int, flashSize: Int, hardware hw: ChipHardware) -> LoaderStep {
        let sector = FlashGeometry.sectorSize
        guard offset % sector == 0, size % sector == 0 else {
            return LoaderStep([reply(op, status: .stubFailure(.badDataLength))])
        }
        guard offset + size <= flashSize, size <= 16 << 20 else {
            return LoaderStep([reply(op, status: .stubFailure(.spiOperationFailed))])
        }
        var dirty: [Bool] = []
        var bytesRead = 0
        for first in stride(from: offset, to: offset + size, by: sector) {
            let bytes = hw.flash.read(first, count: sector)
            if let index = bytes.firstIndex(where: { $0 != 0xFF }) {
                dirty.append(true)
                bytesRead += (index / Self.blankScanPiece + 1) * Self.blankScanPiece
            } else {
                dirty.append(false)
                bytesRead += sector
            }
        }
        let count = dirty.lazy.filter { $0 }.count
        let busy = hw.chipTime?.blankScan(bytesRead: bytesRead) ?? .zero
        let answer = reply(op, value: UInt32(count), payload: BlankScanBitmap.encode(dirty))
        return LoaderStep((busy > .zero ? [.busy(busy)] : []) + [answer])
    }
}
