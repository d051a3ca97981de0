import ESPProtocol

extension LoaderClient {
    /// Which 4 KiB sectors of `range` (whole sectors) hold data, through the running stub.
    ///
    /// espwiz's stub answers FLASH_BLANK_SCAN with an exact per-sector map. A stub that does not
    /// know that command (esptool's answers it with an error before doing anything) is asked
    /// for SPI_FLASH_MD5 of each 64 KiB block instead, compared with the MD5 of an erased block
    /// of the same length; a block that differs counts as dirty in every sector. The answer is
    /// remembered for this connection, so the next call goes straight to the right method.
    /// - Throws: `.requiresStub` on the ROM loader, which cannot read flash (keep the
    ///   whole-chip erase there); `.invalidArgument` for a range that is not whole sectors.
    public func blankSectorMap(range: Range<Int>) throws(LoaderError) -> BlankMap {
        guard loaderKind == .stub else { throw .requiresStub(.flashBlankScan) }
        let sector = FlashGeometry.sectorSize
        guard range.lowerBound >= 0, range.lowerBound % sector == 0, range.count % sector == 0 else {
            throw .invalidArgument("A blank scan covers whole 4 KiB sectors (got \(Hex.format(UInt32(clamping: range.lowerBound), digits: 8)), \(range.count) bytes).")
        }
        if !blankScanUnsupported {
            do {
                return try blankScan(range: range)
            } catch {
                guard case .commandFailed(.flashBlankScan, .stub, _) = error else { throw error }
                blankScanUnsupported = true
            }
        }
        return try blockMD5Map(range: range)
    }

    /// Erases every range of `plan` with ERASE_REGION (block erases where a range covers an
    /// aligned 64 KiB block), calling `progress` with the bytes erased so far.
    public func erase(_ plan: CleanFlashPlan, progress: (FlashProgress) -> Void = { _ in }) throws(LoaderError) {
        var done = 0
        for (index, range) in plan.eraseRanges.enumerated() {
            try eraseRegion(offset: UInt32(range.lowerBound), size: range.count)
            done += range.count
            progress(FlashProgress(bytesWritten: done, totalBytes: plan.erasedBytes, blockIndex: index, blockCount: plan.eraseRanges.count))
        }
    }

    /// FLASH_BLANK_SCAN in pieces of at most 16 MiB (the stub's limit per command).
    private func blankScan(range: Range<Int>) throws(LoaderError) -> BlankMap {
        try loadPendingStubStage()  // espwiz's stub scans in its second stage; before, it answers FF
        let sector = FlashGeometry.sectorSize
        let piece = 16 << 20
        var dirty: [Bool] = []
        var start = range.lowerBound
        while start < range.upperBound {
            let size = min(piece, range.upperBound - start)
            let request = Request.flashBlankScan(offset: UInt32(start), size: UInt32(size))
            let timeout = LoaderTimeouts.scaled(secondsPerMB: LoaderTimeouts.md5SecondsPerMB, bytes: size)
            let response = try connection.command(request, timeout: timeout)
            let sectors = size / sector
            let flags = BlankScanBitmap.decode(Array(response.payload(length: BlankScanBitmap.byteCount(sectors: sectors))), sectors: sectors)
            guard flags.lazy.filter({ $0 }).count == Int(response.value) else {
                throw .malformedResponse(.flashBlankScan, "the reply counts \(response.value) dirty sectors but its map has \(flags.lazy.filter { $0 }.count)")
            }
            dirty += flags
            start += size
        }
        return BlankMap(range: range, dirty: dirty, source: .blankScan)
    }

    /// The fallback: one SPI_FLASH_MD5 per 64 KiB block (aligned; the range's ends may be partial).
    private func blockMD5Map(range: Range<Int>) throws(LoaderError) -> BlankMap {
        let sector = FlashGeometry.sectorSize, block = FlashGeometry.blockSize
        var dirty: [Bool] = []
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min((start / block + 1) * block, range.upperBound)
            let actual = try flashMD5(offset: UInt32(start), size: end - start)
            let blank = actual == LoaderClient.erasedMD5(length: end - start)
            dirty += [Bool](repeating: !blank, count: (end - start) / sector)
            start = end
        }
        return BlankMap(range: range, dirty: dirty, source: .blockMD5)
    }

    /// MD5 of `length` erased bytes (0xFF); the full-block digest is computed once.
    static func erasedMD5(length: Int) -> [UInt8] {
        length == FlashGeometry.blockSize ? erasedBlockMD5 : MD5.digest([UInt8](repeating: 0xFF, count: length))
    }

    private static let erasedBlockMD5 = MD5.digest([UInt8](repeating: 0xFF, count: FlashGeometry.blockSize))
}
