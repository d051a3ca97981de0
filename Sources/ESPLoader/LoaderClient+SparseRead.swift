import ESPProtocol

extension LoaderClient {
    /// Reads `range` (whole 4 KiB sectors) through the running stub, sending only the sectors that
    /// hold data. First the scanning sparse READ_FLASH (`readScanningStream`: one pass on the
    /// chip finds the map, sends the dirty sectors and hashes the range); older espwiz stubs:
    /// FLASH_BLANK_SCAN (or the MD5 fallback) for the map, then on espwiz's stub one
    /// sparse READ_FLASH that sends the dirty sectors and ends with the stub's MD5 of the whole
    /// range, hashed while its UART sends (`readSparseStream`; blank sectors re-read for it when
    /// `rereadBlank`). Other stubs: one READ_FLASH per run of dirty sectors (each checked against
    /// its own final MD5 frame), then SPI_FLASH_MD5 of the whole range. Either way the assembled
    /// image must hash to the stub's whole-range MD5.
    ///
    /// READ_FLASH's MD5 covers only what the stub sent, so a read that came out wrong on the chip
    /// (a marginal flash, a sector another program changed) passes it. The whole-range MD5 catches
    /// that: then each 64 KiB piece is compared with the stub's MD5 of it, the pieces that differ
    /// are read again (all of them, blank or not), and the whole is checked again, up to
    /// `retries` times.
    /// - Throws: `.md5Mismatch` when the image still does not hash to the stub's MD5 after the
    ///   retries (the flash does not read the same twice); `.requiresStub` on the ROM loader.
    public func readSparse(range: Range<Int>, retries: Int = 2, rereadBlank: Bool = true,
                           progress: (FlashProgress) -> Void = { _ in }) throws(LoaderError) -> SparseFlashRead {
        let base = range.lowerBound
        var bytes = [UInt8](repeating: 0xFF, count: range.count)
        let scanned = loaderKind == .stub ? try readScanningStream(range: range, progress: progress) : nil
        let map: BlankMap
        if let scanned { map = scanned.map } else { map = try blankSectorMap(range: range) }
        let runs = map.dirtyRanges
        let total = runs.reduce(0) { $0 + $1.count }
        var sent = total
        var md5: [UInt8]
        var stream = scanned?.stream
        if stream == nil, map.source == .blankScan {
            stream = try readSparseStream(map: map, rereadBlank: rereadBlank, progress: progress)
        }
        if let stream {
            var at = 0
            for run in runs {
                bytes.replaceSubrange((run.lowerBound - base)..<(run.upperBound - base), with: stream.data[at..<(at + run.count)])
                at += run.count
            }
            md5 = stream.md5
        } else {
            md5 = try readRuns(runs, into: &bytes, base: base, progress: progress)
        }
        var reread: [Range<Int>] = []
        var attempt = 0
        while MD5.digest(bytes) != md5 {
            guard attempt < retries else {
                throw .md5Mismatch(offset: UInt32(base), size: range.count, expected: Hex.string(md5), actual: Hex.string(MD5.digest(bytes)))
            }
            attempt += 1
            var start = base
            while start < range.upperBound {
                let end = min((start / FlashGeometry.blockSize + 1) * FlashGeometry.blockSize, range.upperBound)
                let local = Array(bytes[(start - base)..<(end - base)])
                if try flashMD5(offset: UInt32(start), size: end - start) != MD5.digest(local) {
                    let data = try readFlash(offset: UInt32(start), length: end - start)
                    bytes.replaceSubrange((start - base)..<(end - base), with: data)
                    reread.append(start..<end)
                    sent += end - start
                }
                start = end
            }
            md5 = try flashMD5(offset: UInt32(base), size: range.count)
        }
        return SparseFlashRead(range: range, bytes: bytes, blankMap: map, md5: md5, rereadRanges: reread, bytesSent: sent)
    }

    /// The path for stubs without the sparse READ_FLASH: one READ_FLASH per run of dirty
    /// sectors, then SPI_FLASH_MD5 of the whole range (returned).
    private func readRuns(_ runs: [Range<Int>], into bytes: inout [UInt8], base: Int,
                          progress: (FlashProgress) -> Void) throws(LoaderError) -> [UInt8] {
        let total = runs.reduce(0) { $0 + $1.count }
        var sent = 0
        for (index, run) in runs.enumerated() {
            let before = sent
            let data = try readFlash(offset: UInt32(run.lowerBound), length: run.count) { p in
                progress(FlashProgress(bytesWritten: before + p.bytesWritten, totalBytes: total, blockIndex: index, blockCount: runs.count))
            }
            bytes.replaceSubrange((run.lowerBound - base)..<(run.upperBound - base), with: data)
            sent += run.count
        }
        return try flashMD5(offset: UInt32(base), size: bytes.count)
    }
}
