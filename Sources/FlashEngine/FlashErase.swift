import ESPLoader
import ESPProtocol
import RunRecord

/// The erase before the write: the whole chip, or only what holds data outside the image (the blank-aware erase).
struct FlashErase {
    let observer: any FlashObserver
    let journal: RunJournal

    /// Erases the whole chip (`size` bytes), with a progress estimate while the chip works.
    func chip(_ client: LoaderClient, size: Int) throws {
        journal.boardState = .beingErased
        journal.save()
        let ticker = ProgressTicker(phase: "erase", expectedSeconds: FlashTimingEstimate.chipErase(bytes: size), observer: observer)
        ticker.start()
        defer { ticker.stop() }
        try client.eraseFlash(chipSize: size)
        journal.boardState = .erased
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
        journal.boardState = .beingErased
        journal.save()
        // espwiz's stub scans and erases outside the image while it waits for the write's data
        // (the write finishes that job before its MD5; `finish` makes sure of it); another stub's
        // clean is done here, in the foreground.
        let outcome = try client.cleanOutside(image: 0..<imageSize, flashSize: flashSize)
        if case .pending = outcome {
            journal.boardState = .beingErasedOutsideFirmware
        } else {
            journal.boardState = .erasedOutsideFirmware
        }
        observer.handle(.stepDone(name: "erase", detail: outcome.summary))
    }

    /// After the write: makes sure the clean handed to the stub was finished on the board. The
    /// compressed write finishes it; a write that fell back to small plain blocks, or a stub that
    /// was started again after a reset, does not, so it is finished (or redone) here. Only the ROM
    /// loader cannot do it (it cannot read flash, and erasing the whole chip now would erase the
    /// firmware): then the run says so instead of claiming a clean flash.
    func finish(_ client: LoaderClient, imageSize: Int, flashSize: Int) throws {
        if client.cleanFinished(image: 0..<imageSize) { return }
        guard client.loaderKind == .stub else {
            let message = "The clean outside the firmware was not finished: the write had to fall back to the ROM loader, which cannot read flash. Old Wi-Fi settings or files outside MicroPython may remain; if the board misbehaves, run `espwiz flash --erase chip` with a better cable."
            observer.handle(.warning(message))
            journal.warn(id: "noisy-link", message)
            return
        }
        // The job still with this stub is finished; a stub started again after a reset does it now,
        // in the foreground (the write is over, so there is no idle time left to use).
        let outcome = try client.finishClean() ?? client.cleanOutsideNow(image: 0..<imageSize, flashSize: flashSize)
        observer.handle(.info("Outside the firmware: \(outcome.summary)."))
    }
}
