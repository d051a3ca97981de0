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
    /// The scanning form only: the map the final frame carries before the MD5.
    var mapFrame: [UInt8]? = nil
    /// The scanning form only: the index in the range of each dirty sector, in stream order.
    var dirtySectors: [Int] = []
    /// The scanning form only: the whole pass's chip time (`ChipTimeModel.scanningHash`).
    var scanTotal: Duration = .zero

    /// The final frame: the map (scanning form) and the MD5.
    var finalFrame: [UInt8] { (mapFrame ?? []) + md5 }

    /// The scanning form: before the packet at stream `position` (one sector) can go, the scan
    /// must have passed that sector; the time it still needs is spent here, on the chip.
    mutating func waitForScan(position: Int) -> Duration {
        let packet = position / FlashGeometry.sectorSize
        guard mapFrame != nil, packet < dirtySectors.count, rangeSectorCount > 0 else { return .zero }
        let needed = scanTotal * (Double(dirtySectors[packet] + 1) / Double(rangeSectorCount))
        let done = scanTotal - hashDebt
        guard needed > done else { return .zero }
        hashDebt -= needed - done
        return needed - done
    }

    var rangeSectorCount = 0

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
    /// The scanning sparse READ_FLASH (D2, flags bit 1, no bitmap) as espwiz's stub answers it:
    /// the same checks as the bitmap form; the value is 0, each dirty sector goes out as one
    /// 4096-byte packet once the stub's single pass (read, 0xFF check, MD5) has passed it, and the
    /// final frame is the map then the MD5 of the whole range. The pass runs while the UART
    /// sends; only what the wire's idle time does not cover is charged (`waitForScan`, and the
    /// tail after the last dirty sector before the final frame).
    mutating func readScanning(_ op: UInt8, offset: Int, length: Int, maxUnacked: Int, hardware hw: inout ChipHardware) -> LoaderStep {
        let sector = FlashGeometry.sectorSize
        guard dialect == .espwiz, scanningRead, offset % sector == 0, length % sector == 0 else {
            return LoaderStep([reply(op, status: .stubFailure(.badDataLength))])
        }
        guard offset + length <= hw.flash.size, length <= 16 << 20 else {
            return LoaderStep([reply(op, status: .stubFailure(.spiOperationFailed))])
        }
        let erased = [UInt8](repeating: 0xFF, count: sector)
        let dirty = (0..<(length / sector)).map { hw.flash.read(offset + $0 * sector, count: sector) != erased }
        return readSparse(op, offset: offset, length: length, packetSize: sector, maxUnacked: maxUnacked,
                          rereadBlank: true, dirtyMap: BlankScanBitmap.encode(dirty), hardware: &hw, scanning: true)
    }

    /// The sparse READ_FLASH (D2 with a flags word and a dirty-sector bitmap) as espwiz's stub
    /// answers it: C0 unless offset and length are whole sectors and the bitmap fits them, C2 for
    /// a zero packet size, C4 past the flash or over 16 MiB; then the value is the number of
    /// bytes to come, the dirty sectors stream like READ_FLASH's data, and the last frame is the
    /// MD5 of the whole range (blank sectors as read again, or as 0xFF when not re-read).
    /// esptool's stub knows no such request: C0.
    mutating func readSparse(_ op: UInt8, offset: Int, length: Int, packetSize: Int, maxUnacked: Int,
                             rereadBlank: Bool, dirtyMap: [UInt8], hardware hw: inout ChipHardware, scanning: Bool = false) -> LoaderStep {
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
        var plan: SparseReadPlan
        if scanning {
            let pass = hw.chipTime?.scanningHash(bytes: length) ?? .zero
            plan = SparseReadPlan(runs: runs, md5: Array(md5.finalize()), hashDebt: pass)
            plan.mapFrame = dirtyMap
            plan.dirtySectors = dirty.indices.filter { dirty[$0] }
            plan.scanTotal = pass
            plan.rangeSectorCount = dirty.count
        } else {
            let debt = hw.chipTime?.rangeHash(rangeBytes: length, dirtyBytes: total, rereadBlank: rereadBlank) ?? .zero
            plan = SparseReadPlan(runs: runs, md5: Array(md5.finalize()), hashDebt: debt)
        }
        read = ReadSession(offset: offset, length: total, packetSize: packetSize, maxUnacked: min(max(maxUnacked, 1), 1024), sparse: plan)
        var out = [reply(op, value: scanning ? 0 : UInt32(total))]
        out += sendReadPackets(hardware: &hw)
        if total == 0 { return LoaderStep(out + acknowledge(0, hardware: &hw).outputs) }
        return LoaderStep(out)
    }
}
