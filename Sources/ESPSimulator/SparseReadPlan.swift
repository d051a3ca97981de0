import Crypto
import ESPProtocol

/// espwiz's sparse READ_FLASH in progress on a simulated stub: which flash bytes make up the
/// stream it sends (the dirty sectors in address order), the whole-range MD5 it ends with, and
/// how much of the hashing (done while the UART sends) is still to do.
struct SparseReadPlan: Equatable, Sendable {
    /// The dirty sectors' flash ranges, merged, in address order.
    let runs: [Range<Int>]
    /// The whole-range MD5 the final frame carries.
    let md5: [UInt8]
    /// Chip time of the whole-range hash not yet hidden behind the wire (`ChipTimeModel.rangeHash`).
    var hashDebt: Duration

    /// The flash ranges holding stream bytes `[position, position + count)`.
    func pieces(from position: Int, count: Int) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var skip = position, left = count
        for run in runs where left > 0 {
            if skip >= run.count { skip -= run.count; continue }
            let take = min(left, run.count - skip)
            out.append((run.lowerBound + skip)..<(run.lowerBound + skip + take))
            left -= take
            skip = 0
        }
        return out
    }

    /// Sending one packet of `bytes`: the chip time beyond the wire (the send path's own work,
    /// when longer); the wire time it leaves idle pays off the hash.
    mutating func send(bytes: Int, model: ChipTimeModel?, baud: Int) -> Duration {
        guard let model else { return .zero }
        let wire = Duration.seconds(Double(bytes) * 10 / Double(max(baud, 1)))
        let work = model.sparseSend(bytes: bytes)
        if work >= wire { return work - wire }
        hashDebt = max(.zero, hashDebt - (wire - work))
        return .zero
    }
}

extension StubLoader {
    /// The sparse READ_FLASH (D2 with a flags word and a dirty-sector bitmap) as espwiz's stub
    /// answers it: C0 unless offset and length are whole sectors and the bitmap fits them, C2 for
    /// a zero packet size, C4 past the flash or over 16 MiB; then the value is the number of
    /// bytes to come, the dirty sectors stream like READ_FLASH's data, and the last frame is the
    /// MD5 of the whole range (blank sectors as read again, or as 0xFF when not re-read).
    /// esptool's stub knows no such request: C0.
    mutating func readSparse(_ op: UInt8, offset: Int, length: Int, packetSize: Int, maxUnacked: Int,
                             rereadBlank: Bool, dirtyMap: [UInt8], hardware hw: inout ChipHardware) -> LoaderStep {
        let sector = FlashGeometry.sectorSize
        guard dialect == .espwiz, offset % sector == 0, length % sector == 0,
              dirtyMap.count == BlankScanBitmap.byteCount(sectors: length / sector) else {
            return LoaderStep([reply(op, status: .stubFailure(.badDataLength))])
        }
        guard packetSize > 0 else { return LoaderStep([reply(op, status: .stubFailure(.badBlockSize))]) }
        guard offset + length <= hw.flash.size, length <= 16 << 20 else {
            return LoaderStep([reply(op, status: .stubFailure(.spiOperationFailed))])
        }
        let dirty = BlankScanBitmap.decode(dirtyMap, sectors: length / sector)
        var runs: [Range<Int>] = []
        var md5 = Insecure.MD5()
        let erased = [UInt8](repeating: 0xFF, count: sector)
        for (i, d) in dirty.enumerated() {
            let at = offset + i * sector
            md5.update(data: d || rereadBlank ? hw.flash.read(at, count: sector) : erased)
            guard d else { continue }
            if let last = runs.last, last.upperBound == at { runs[runs.count - 1] = last.lowerBound..<(at + sector) } else { runs.append(at..<(at + sector)) }
        }
        let total = runs.reduce(0) { $0 + $1.count }
        let debt = hw.chipTime?.rangeHash(rangeBytes: length, dirtyBytes: total, rereadBlank: rereadBlank) ?? .zero
        let plan = SparseReadPlan(runs: runs, md5: Array(md5.finalize()), hashDebt: debt)
        read = ReadSession(offset: offset, length: total, packetSize: packetSize, maxUnacked: min(max(maxUnacked, 1), 1024), sparse: plan)
        var out = [reply(op, value: UInt32(total))]
        out += sendReadPackets(hardware: &hw)
        if total == 0 { return LoaderStep(out + acknowledge(0, hardware: &hw).outputs) }
        return LoaderStep(out)
    }
}
