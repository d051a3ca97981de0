import ESPLoader
import ESPProtocol
import FirmwareImage
import Foundation
import PortDiscovery
import RunRecord
import SerialTransport
import Troubleshooting

/// Writing: header patch, erase, compressed write through the stub or ROM blocks, MD5 and region skipping.
extension FlashSession {
    /// The flash mode to write: the option, or DOUT for ESP8285 (embedded flash wired for DOUT).
    func chosenMode(info: BoardInfo) -> (FlashMode?, String) {
        switch options.flashMode {
        case .mode(let m): return (m, "flash mode \(m.rawValue.uppercased()) as asked")
        case .keep:
            if info.isESP8285 && headerMode != .dout {
                return (.dout, "ESP8285 chips need DOUT (their embedded flash uses two data lines)")
            }
            return (nil, "flash mode kept as in the file (\(headerMode?.rawValue.uppercased() ?? "?")); a safer mode is tried automatically if the board does not boot")
        }
    }

    func chosenSize(info: BoardInfo) -> FlashSize? {
        switch options.flashSize {
        case .keep: nil
        case .size(let s): s
        case .detect: info.flashSize.flatMap { FlashSize(bytes: $0) }
        }
    }

    /// Applies the header patch for `mode` and the chosen size to the checked image.
    func patchedImage(mode: FlashMode?, info: BoardInfo) -> [UInt8] {
        let patch = HeaderPatch(mode: mode, size: chosenSize(info: info))
        let result = patch.apply(to: image)
        if case .patched = result.outcome { observer.handle(.info(result.message)) }
        return result.bytes
    }

    func eraseAndWrite(info: BoardInfo) throws {
        guard let port else { return }
        let (mode, modeReason) = chosenMode(info: info)
        record.settings = SettingsRecord(baud: currentBaud, recommendedBaud: advice.baud, baudReason: advice.reason,
                                         erase: EraseChoice(rawValue: options.erase.rawValue), flashMode: mode?.rawValue ?? "keep",
                                         flashSize: chosenSize(info: info)?.rawValue ?? "keep", flashFrequency: "keep", offset: 0,
                                         loader: client?.loaderKind == .stub ? "stub" : "rom")
        observer.handle(.info("Baud \(advice.baud): \(advice.reason)."))
        switch options.erase {
        case .chip:
            observer.handle(.info("Erase: whole chip, so old Wi-Fi settings and filesystems cannot confuse the new firmware."))
        case .clean:
            observer.handle(.info("Erase: everything outside the firmware that holds data (old Wi-Fi settings, filesystems), found by a scan; the same result as a whole-chip erase, in less time."))
        case .region:
            observer.handle(.info("Erase: only the sectors the firmware covers, each erased just before it is written."))
        }
        observer.handle(.info("Flash mode: \(modeReason)."))
        let data = patchedImage(mode: mode, info: info)
        // Compress while the stub is uploaded (and the chip erased): the write starts without waiting.
        let stubWanted = options.useStub && !stubFailed && !stubFailedBefore(chip: info.chipName, port: port)
        let prepared = stubWanted ? CompressionJob(image: data, compression: .lzma) : nil
        let size = info.flashSize ?? 4 << 20
        if let backup = env.backupBeforeErase {
            try step("backup", "Keeping what is on the board",
                     "Before anything is erased, the flash is read through the stub (only the sectors that hold data) and saved with a checked MD5, so it can be put back.") {
                try onLadder(phase: "backup") {
                    try ensureStub()
                    guard let client else { return }
                    do {
                        let saved = try backup(client, info)
                        record.backup = saved
                        observer.handle(.stepDone(name: "backup", detail: "\(saved.firmware ?? "the flash") saved in \(saved.path) (MD5 \(saved.md5)); put it back with `espwiz restore \(saved.path)` or `esptool write-flash 0 \(saved.path)`"))
                    } catch let error as LoaderError {
                        throw error
                    } catch {
                        throw SessionFailure("backup-write-failed", "The backup could not be saved, so nothing was erased: \(error)", exitCode: .failure)
                    }
                }
            }
        }
        switch options.erase {
        case .chip:
            try step("erase", "Erasing the whole flash",
                     "Old Wi-Fi settings and filesystems survive a plain write; a full erase gives MicroPython a clean start.") {
                try onLadder(phase: "erase") { try erase(size: size) }
            }
        case .clean:
            try step("erase", "Erasing what holds data",
                     "Old Wi-Fi settings and filesystems survive a plain write. The flasher stub finds the sectors that hold data and erases only those outside the firmware: the same clean start as a whole-chip erase.") {
                try onLadder(phase: "erase") { try cleanErase(imageSize: data.count, flashSize: size) }
            }
        case .region:
            break
        }
        try step("write", "Writing \(record.firmware?.fileName ?? "the firmware")",
                 "The image goes over in blocks that the chip checks one by one; a damaged block is sent again.") {
            try onLadder(phase: "write") { try write(data, prepared: prepared) }
        }
        record.settings?.baud = currentBaud
        remember(baud: currentBaud, port: port)
    }

    func erase(size: Int) throws {
        try ensureStub()
        guard let client else { return }
        boardState = "being erased: needs flashing"
        saveRecord()
        let expected = FlashTimingEstimate.chipErase(bytes: size)
        let ticker = ProgressTicker(phase: "erase", expectedSeconds: expected, observer: observer)
        ticker.start()
        defer { ticker.stop() }
        try client.eraseFlash(chipSize: size)
        boardState = "erased: needs flashing"
        erased = true
        observer.handle(.stepDone(name: "erase", detail: "\(SizeText.format(size)) erased"))
    }

    /// Erases the sectors outside the image that hold data (the blank-aware erase). Needs a stub
    /// that can read flash; through the ROM loader alone (it has no read command) the whole chip is
    /// erased instead, and the record says so.
    func cleanErase(imageSize: Int, flashSize: Int) throws {
        try ensureStub()
        guard let client else { return }
        guard client.loaderKind == .stub else {
            observer.handle(.info("The ROM loader cannot read flash, so it cannot find the sectors that hold data: erasing the whole chip instead."))
            record.settings?.erase = .chip
            try erase(size: flashSize)
            return
        }
        boardState = "being erased: needs flashing"
        saveRecord()
        // espwiz's stub scans and erases outside the image while it waits for the write's data
        // (the write finishes that job before its MD5); another stub's clean is done here.
        let outcome = try client.cleanOutside(image: 0..<imageSize, flashSize: flashSize)
        // The write erases the image's own sectors (whole ones) as it goes, so it writes them all.
        erased = true
        boardState = "erased outside the firmware: needs flashing"
        observer.handle(.stepDone(name: "erase", detail: outcome.summary))
    }

    func write(_ data: [UInt8], prepared: CompressionJob? = nil) throws {
        try ensureStub()
        guard let client else { return }
        let baud = currentBaud
        let stub = client.loaderKind == .stub ? StubFlasher(client: client) : nil
        // Over flash that was not just erased, compare 64 KiB regions by MD5 and write only those that differ.
        var ranges: [Range<Int>]?
        if let stub, !erased {
            let changed = try stub.changedRanges(data, offset: 0)
            if changed.isEmpty {
                unchangedImage = true
                boardState = "written, not yet verified"
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
        observer.handle(.info(stub == nil ? "Writing \(data.count) bytes at \(baud) baud through the ROM loader."
                                          : "Writing \(toWrite) bytes at \(baud) baud, compressed, through espwiz's flasher stub."))
        boardState = "partly written: needs flashing again"
        saveRecord()
        let start = ContinuousClock.now
        let observer = self.observer
        defer { observer.handle(.progressEnd(phase: "write")) }
        let report = { (progress: FlashProgress) in
            let elapsed = ContinuousClock.now - start
            observer.handle(.progress(phase: "write", done: progress.bytesWritten, total: progress.totalBytes,
                                      elapsedSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                                      byTime: false))
        }
        if let stub {
            let result = try stub.write(data, offset: 0, ranges: ranges, prepared: prepared, progress: report)
            if case .background? = client.lastClean, let clean = client.lastClean { observer.handle(.info("Outside the firmware: \(clean.summary).")) }
            boardState = "written, not yet verified"
            if let refusal = result.lzmaRefusal {
                let message = "The flasher stub on the chip did not take LZMA data (\(refusal.description)), so the image went over as zlib data instead: slower, equally safe."
                observer.handle(.warning(message))
                record.warnings = (record.warnings ?? []) + [WarningRecord(id: "stub-no-lzma", message: message)]
            }
            record.settings?.compression = result.compression.rawValue
            observer.handle(.stepDone(name: "write", detail: "\(toWrite) bytes written at \(baud) baud (\(result.sent) bytes \(result.compression == .lzma ? "LZMA" : "zlib")-compressed), MD5 verified\(skipped)"))
        } else {
            try client.writeFlash(image: data, offset: 0, progress: report)
            boardState = "written, not yet verified"
            observer.handle(.stepDone(name: "write", detail: "\(data.count) bytes written at \(baud) baud"))
        }
    }
}
