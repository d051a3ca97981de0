import ESPProtocol

/// How the flash outside an image was (or is being) made all 0xFF: `LoaderClient.cleanOutside`.
public enum CleanOutsideResult: Equatable, Sendable {
    /// espwiz's stub took the job (CLEAN_BEGIN) and scans and erases `range` while it waits for
    /// the host; the next compressed write finishes it (`LoaderClient.finishClean()`).
    case pending(range: Range<Int>)
    /// espwiz's stub finished the job (CLEAN_FINISH): what it found and how much of it ran in idle time.
    case background(range: Range<Int>, report: CleanReport)
    /// Done by the client before returning: a blank map (FLASH_BLANK_SCAN, or MD5 per 64 KiB block
    /// on another stub), then ERASE_REGION per `CleanFlashPlan`.
    case erased(plan: CleanFlashPlan, map: BlankMap)

    /// A short account for logs and records, e.g. "3.6 MB scanned, 29 sectors held data: 2 blocks + 19 sectors erased".
    public var summary: String {
        switch self {
        case .pending(let range):
            return "espwiz's stub scans the \(range.count / 1024) KiB outside the image and erases what held data there while the image goes over"
        case .background(let range, let report):
            return "\(range.count / 1024) KiB scanned by espwiz's stub, \(report.dirtySectorCount) sectors held data: "
                + "\(report.blockErases) blocks + \(report.sectorErases) sectors erased "
                + "(\(report.backgroundScannedSectors) of \(report.dirty.count) sectors scanned and \(report.backgroundErases) erases done while the stub waited for data)"
        case .erased(let plan, let map):
            let how = map.source == .blockMD5 ? "MD5 per 64 KiB block" : "blank scan"
            return "\(map.range.count / 1024) KiB checked (\(how)), \(map.dirtySectorCount) sectors held data: "
                + "\(plan.blockErases) blocks + \(plan.sectorErases) sectors erased"
        }
    }
}
