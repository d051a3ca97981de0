import ESPProtocol

/// What `cleanOutside` handed to espwiz's stub, kept until CLEAN_FINISH.
struct PendingClean: Equatable, Sendable {
    var range: Range<Int>
    var image: Range<Int>
    var flashSize: Int
}

extension LoaderClient {
    /// Makes every byte of the flash outside `image` read 0xFF, as a whole-chip erase would,
    /// erasing only the sectors that hold data.
    ///
    /// With espwiz's stub and an image at 0 (MicroPython's case) this sends CLEAN_BEGIN for what
    /// follows the image's last sector and returns `.pending` at once (after uploading the stub's
    /// second stage, which holds the clean): the stub scans and erases in the time it would
    /// otherwise spend waiting for the next byte (the gaps in the compressed write), and the next `writeFlashCompressed` finishes the job
    /// with CLEAN_FINISH before its MD5 check. Otherwise (another stub, or an image elsewhere)
    /// it scans (`blankSectorMap`) and erases (`erase(_:)`) now and returns `.erased`.
    /// - Throws: `.requiresStub` on the ROM loader (it cannot read flash: erase the whole chip).
    public func cleanOutside(image: Range<Int>, flashSize: Int) throws(LoaderError) -> CleanOutsideResult {
        guard loaderKind == .stub else { throw .requiresStub(.cleanBegin) }
        let range = CleanFlashPlan.scanRange(imageRange: image, flashSize: flashSize)
        if image.lowerBound == 0, !blankScanUnsupported, !range.isEmpty, range.count <= 16 << 20 {
            do {
                try loadPendingStubStage()  // the clean is second-stage code in espwiz's stub
                try connection.command(.cleanBegin(offset: UInt32(range.lowerBound), size: UInt32(range.count)))
                pendingClean = PendingClean(range: range, image: image, flashSize: flashSize)
                return .pending(range: range)
            } catch {
                guard case .commandFailed(.cleanBegin, .stub, _) = error else { throw error }
                blankScanUnsupported = true  // not espwiz's stub: it knows neither command
            }
        }
        return try cleanOutsideNow(image: image, flashSize: flashSize)
    }

    /// Finishes the job `cleanOutside` left with the stub (CLEAN_FINISH) and returns its report;
    /// nil when there is none. If the stub no longer has it (it was restarted), the clean is done
    /// again now, in the foreground. `writeFlashCompressed` calls this; call it yourself only
    /// when no write follows.
    @discardableResult
    public func finishClean() throws(LoaderError) -> CleanOutsideResult? {
        guard let pending = pendingClean else { return nil }
        let range = pending.range
        let request = Request.cleanFinish(offset: UInt32(range.lowerBound), size: UInt32(range.count))
        let timeout = LoaderTimeouts.scaled(secondsPerMB: LoaderTimeouts.md5SecondsPerMB + LoaderTimeouts.eraseSecondsPerMB, bytes: range.count)
        let result: CleanOutsideResult
        do throws(LoaderError) {
            let response = try connection.command(request, timeout: timeout)
            let sectors = range.count / FlashGeometry.sectorSize
            guard let report = CleanReport.decode(Array(response.payload(length: CleanReport.payloadLength(sectors: sectors))), sectors: sectors) else {
                throw LoaderError.malformedResponse(.cleanFinish, "the reply is shorter than its report")
            }
            guard report.dirtySectorCount == Int(response.value) else {
                throw LoaderError.malformedResponse(.cleanFinish, "the reply counts \(response.value) sectors that held data but its map has \(report.dirtySectorCount)")
            }
            erasedFlash.markErased(range)
            result = .background(range: range, report: report)
        } catch {
            guard case .commandFailed(.cleanFinish, .stub(.notInFlashMode, _), _) = error else { throw error }
            result = try cleanOutsideNow(image: pending.image, flashSize: pending.flashSize)
        }
        pendingClean = nil
        lastClean = result
        return result
    }

    /// True when the flash outside `image` was made all 0xFF through this client and nothing of
    /// that job is left with the stub (`finishClean` ran, or the clean was done in the foreground).
    public func cleanFinished(image: Range<Int>) -> Bool {
        guard pendingClean == nil, let lastClean else { return false }
        switch lastClean {
        case .pending: return false
        case .background(let range, _): return range == CleanFlashPlan.scanRange(imageRange: image, flashSize: range.upperBound)
        case .erased(let plan, _): return plan.imageRange == image
        }
    }

    /// The foreground clean, done before returning: blank map (FLASH_BLANK_SCAN, or MD5 per 64 KiB
    /// block on another stub), plan, ERASE_REGION. Needs a stub that can read flash.
    public func cleanOutsideNow(image: Range<Int>, flashSize: Int) throws(LoaderError) -> CleanOutsideResult {
        let map = try blankSectorMap(range: CleanFlashPlan.scanRange(imageRange: image, flashSize: flashSize))
        let plan = CleanFlashPlan(imageRange: image, blankMap: map, flashSize: flashSize)
        try erase(plan)
        let result = CleanOutsideResult.erased(plan: plan, map: map)
        lastClean = result
        return result
    }
}
