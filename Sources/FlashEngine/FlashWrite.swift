import ESPLoader
import Foundation
import RunRecord

/// The write itself: compressed through the stub (unchanged 64 KiB regions skipped by MD5, the whole image checked by MD5), or the ROM loader's blocks.
struct FlashWrite {
    let observer: any FlashObserver
    let journal: RunJournal
    /// The flash was just erased: every region is written, none compared first.
    let erased: Bool

    /// Writes `data` at 0 over `client` at `baud` (the rate for messages): `compressed` through espwiz's
    /// stub, else in the loader's small plain blocks (the ROM's, or a running stub's); `prepared` is the compression started early.
    func run(_ data: [UInt8], client: LoaderClient, baud: Int, compressed: Bool, prepared: CompressionJob?) throws {
        let stub = compressed ? StubFlasher(client: client) : nil
        // Over flash that was not just erased, compare 64 KiB regions by MD5 and write only those that differ.
        var ranges: [Range<Int>]?
        if let stub, !erased {
            let changed = try stub.changedRanges(data, offset: 0)
            if changed.isEmpty {
                journal.boardState = .writtenNotYetVerified
                observer.handle(.stepDone(name: "write", detail: "the board already holds exactly this image (MD5 matches): nothing to write"))
                return
            }
            ranges = changed
        }
        let toWrite = ranges?.reduce(0) { $0 + $1.count } ?? data.count
        let regions = (data.count + StubFlasher.regionSize - 1) / StubFlasher.regionSize
        let unchangedRegions = regions - (ranges ?? []).reduce(0) { $0 + ($1.count + StubFlasher.regionSize - 1) / StubFlasher.regionSize }
        let skipped = ranges != nil && toWrite < data.count ? ", \(unchangedRegions) of \(regions) 64 KiB regions already matched (MD5)" : ""
        if !skipped.isEmpty {
            observer.handle(.info("The board already holds \(unchangedRegions) of the image's \(regions) 64 KiB regions (MD5 matches): only \(toWrite) bytes need writing."))
        }
        let plainLoader = client.loaderKind == .stub ? "the running flasher stub's small plain blocks" : "the ROM loader"
        journal.record.settings?.loader = client.loaderKind == .stub ? .stub : .rom
        observer.handle(.info(stub == nil ? "Writing \(data.count) bytes at \(baud) baud through \(plainLoader)."
                                          : "Writing \(toWrite) bytes at \(baud) baud, compressed, through espwiz's flasher stub."))
        journal.boardState = .partlyWritten
        journal.save()
        let start = ContinuousClock.now
        let observer = self.observer
        defer { observer.handle(.progressEnd(phase: "write")) }
        let report = { (progress: FlashProgress) in
            observer.handle(.progress(phase: "write", done: progress.bytesWritten, total: progress.totalBytes,
                                      elapsedSeconds: RunJournal.seconds(since: start), byTime: false))
        }
        if let stub {
            let result = try stub.write(data, offset: 0, ranges: ranges, prepared: prepared, progress: report)
            if case .background? = client.lastClean, let clean = client.lastClean {
                observer.handle(.progressEnd(phase: "write"))  // the bar's line ends before the note
                observer.handle(.info("Outside the firmware: \(clean.summary)."))
            }
            journal.boardState = .writtenNotYetVerified
            if let refusal = result.lzmaRefusal {
                let message = "The flasher stub on the chip did not take LZMA data (\(refusal.description)), so the image went over as zlib data instead: slower, equally safe."
                observer.handle(.warning(message))
                journal.warn(id: "stub-no-lzma", message)
            }
            journal.record.settings?.compression = result.compression.rawValue
            observer.handle(.stepDone(name: "write", detail: "\(toWrite) bytes written at \(baud) baud (\(result.sent) bytes \(result.compression == .lzma ? "LZMA" : "zlib")-compressed), MD5 verified\(skipped)"))
        } else {
            try client.writeFlash(image: data, offset: 0, progress: report)
            journal.boardState = .writtenNotYetVerified
            observer.handle(.stepDone(name: "write", detail: "\(data.count) bytes written at \(baud) baud"))
        }
    }
}
