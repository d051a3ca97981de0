import ESPLoader
import ESPProtocol
import RunRecord

/// The erase before the write: the whole chip, or only what holds data outside the image (the blank-aware erase).
struct FlashErase {
    let observer: any FlashObserver
    let journal: RunJournal

    /// Erases the whole chip (`size` bytes), with a progress estimate while the chip works.
    func chip(_ client: LoaderClient, size: Int) throws {
        journal.boardState = "being erased: needs flashing"
        journal.save()
        let ticker = ProgressTicker(phase: "erase", expectedSeconds: FlashTimingEstimate.chipErase(bytes: size), observer: observer)
        ticker.start()
        defer { ticker.stop() }
        try client.eraseFlash(chipSize: size)
        journal.boardState = "erased: needs flashing"
        observer.handle(.stepDone(name: "erase", detail: "\(SizeText.format(size)) erased"))
    }

    /// Erases the sectors outside the image that hold data (the blank-aware erase). Needs a stub
    /// that can read flash; through the ROM loader alone (it has no read command) the whole chip is
    /// erased instead, and the record says so.
    func clean(_ client: LoaderClient, imageSize: Int, flashSize: Int) throws {
        guard client.loaderKind == .stub else {
            observer.handle(.info("The ROM loader cannot read flash, so it cannot find the sectors that hold data: erasing the whole chip instead."))
            journal.record.settings?.erase = .chip
            try chip(client, size: flashSize)
            return
        }
        journal.boardState = "being erased: needs flashing"
        journal.save()
        let imageRange = 0..<imageSize
        let map = try client.blankSectorMap(range: CleanFlashPlan.scanRange(imageRange: imageRange, flashSize: flashSize))
        let plan = CleanFlashPlan(imageRange: imageRange, blankMap: map, flashSize: flashSize)
        let expected = Double(plan.blockErases) * 0.15 + Double(plan.sectorErases) * 0.045 + 0.2
        let ticker = ProgressTicker(phase: "erase", expectedSeconds: expected, observer: observer)
        ticker.start()
        defer { ticker.stop() }
        try client.erase(plan)
        // The write erases the image's own sectors (whole ones) as it goes, so it writes them all.
        journal.boardState = "erased outside the firmware: needs flashing"
        let how = map.source == .blankScan ? "espwiz's stub scanned" : "the running stub compared 64 KiB blocks by MD5 over"
        let detail = plan.eraseRanges.isEmpty
            ? "nothing outside the firmware held data (\(how) \(SizeText.format(flashSize - imageSize)))"
            : "\(SizeText.format(plan.erasedBytes)) that held data erased (\(plan.blockErases) blocks, \(plan.sectorErases) sectors; \(how) the flash)"
        observer.handle(.stepDone(name: "erase", detail: detail))
    }
}
