import ESPProtocol

extension LoaderClient {
    /// espwiz's scanning sparse READ_FLASH (D2, flags bit 1, no bitmap): the stub reads `range`
    /// once, hashing it and finding the dirty sectors as it goes, sends each dirty sector as one
    /// 4 KiB frame (64 unacknowledged) as soon as it has found it, and ends with one frame holding
    /// the map and the MD5 of the whole range. This replaces FLASH_BLANK_SCAN plus the bitmap
    /// form (`readSparseStream`), which read the blank sectors twice. Returns nil when the stub
    /// does not know this form (an older espwiz stub answers it with a failure status), so the
    /// caller can scan first and read by the map. The dirty bytes are not known before the end,
    /// so `progress` counts the bytes received against the whole range, then the whole range
    /// once the map has come.
    public func readScanningStream(range: Range<Int>, progress: (FlashProgress) -> Void = { _ in })
        throws(LoaderError) -> (map: BlankMap, stream: SparseStreamRead)? {
        guard loaderKind == .stub else { throw .requiresStub(.readFlash) }
        try loadPendingStubStage()  // the scanning read is second-stage code
        let sector = FlashGeometry.sectorSize
        let sectors = range.count / sector
        let request = Request.readFlashScan(offset: UInt32(range.lowerBound), length: UInt32(range.count),
                                            packetSize: UInt32(sector), maxUnacked: 64)
        do {
            _ = try connection.command(request)
        } catch {
            guard case .commandFailed(.readFlash, _, .stub) = error else { throw error }
            return nil
        }
        // A run of blank sectors sends nothing while the stub reads it: allow the whole range's
        // read and hash between two frames.
        let wait = max(LoaderTimeouts.standard, LoaderTimeouts.scaled(secondsPerMB: LoaderTimeouts.md5SecondsPerMB, bytes: range.count))
        let trailerSize = BlankScanBitmap.byteCount(sectors: sectors) + 16
        var data: [UInt8] = []
        var index = 0
        while true {
            guard let frame = try connection.nextFrame(deadline: clock.now() + wait) else {
                throw .timedOut(.readFlash, after: wait)
            }
            if frame.count == trailerSize {
                let dirty = BlankScanBitmap.decode(Array(frame.prefix(trailerSize - 16)), sectors: sectors)
                guard dirty.filter({ $0 }).count * sector == data.count else {
                    throw .malformedResponse(.readFlash, "the map names \(dirty.filter { $0 }.count) dirty sectors, \(data.count / sector) were sent")
                }
                let map = BlankMap(range: range, dirty: dirty, source: .scanningRead)
                progress(FlashProgress(bytesWritten: range.count, totalBytes: range.count, blockIndex: index, blockCount: index + 1))
                return (map, SparseStreamRead(data: data, md5: Array(frame.suffix(16))))
            }
            guard frame.count == sector, data.count + sector <= range.count else {
                throw .malformedResponse(.readFlash, "a data packet of \(frame.count) bytes, expected \(sector)")
            }
            data.append(contentsOf: frame)
            var ack: [UInt8] = []
            LittleEndian.append(UInt32(data.count), to: &ack)
            try connection.write(SLIP.encode(ack))
            index += 1
            progress(FlashProgress(bytesWritten: data.count, totalBytes: range.count, blockIndex: index - 1, blockCount: sectors))
        }
    }
}
