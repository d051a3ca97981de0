import ESPProtocol

extension StubLoader {
    /// CLEAN_BEGIN / CLEAN_FINISH as espwiz's stub answers them (`stub_cmd_clean` in
    /// stub_clean_cmd.c, second stage): C0 unless offset and size are whole sectors, C4 past the flash or over
    /// 16 MiB; BEGIN starts a job (replacing one), FINISH needs a job over the same range (C6),
    /// does what is left as busy time and answers with `CleanReport`.
    mutating func clean(_ op: UInt8, finish: Bool, offset: Int, size: Int, flashSize: Int, hardware hw: inout ChipHardware) -> LoaderStep {
        let sector = FlashGeometry.sectorSize
        guard offset % sector == 0, size % sector == 0 else {
            return LoaderStep([reply(op, status: .stubFailure(.badDataLength))])
        }
        guard offset + size <= flashSize, size <= 16 << 20 else {
            return LoaderStep([reply(op, status: .stubFailure(.spiOperationFailed))])
        }
        guard finish else {
            readBackHash = nil
            cleanJob = StubCleanJob(base: offset, sectors: size / sector)
            return LoaderStep([reply(op)])
        }
        guard var job = cleanJob, job.base == offset, job.sectors == size / sector else {
            return LoaderStep([reply(op, status: .stubFailure(.notInFlashMode))])
        }
        let (busy, report) = job.finish(hardware: &hw)
        cleanJob = nil
        let answer = reply(op, value: UInt32(report.dirtySectorCount), payload: report.encode())
        return LoaderStep((busy > .zero ? [.busy(busy)] : []) + [answer])
    }

    /// The board was idle for `time` before the next bytes: background work uses it, the clean
    /// first, then the read-back hash of the session's programmed bytes (`StubReadBackHash`).
    public mutating func idle(_ time: Duration, hardware hw: inout ChipHardware) {
        var left = time
        if var job = cleanJob, !job.done || job.debt > .zero {
            left = job.idle(time, hardware: &hw)
            cleanJob = job
        }
        if left > .zero, var hash = readBackHash {
            hash.idle(left, model: hw.chipTime)
            readBackHash = hash
        }
    }

    /// Before a command runs: the background unit still in progress must end first (as busy time),
    /// and a write session overlapping the job's range waits for the whole job (the stub's
    /// `begin_session` rule: a background erase must never hit what the session writes).
    mutating func settleClean(before request: Request, hardware hw: inout ChipHardware) -> Duration {
        guard var job = cleanJob else { return .zero }
        var busy = job.takeDebt()
        var session: Range<Int>?
        switch request {
        case .flashBegin(let size, _, _, let offset), .flashDeflBegin(let size, _, _, let offset),
             .flashLZMABegin(let size, _, _, let offset, _):
            session = Int(offset)..<(Int(offset) + Int(size))
        default: break
        }
        if let session, session.overlaps(job.range) {
            let rest = job.finish(hardware: &hw)
            busy += rest.busy
            job.report = rest.report
        }
        cleanJob = job
        return busy
    }
}
