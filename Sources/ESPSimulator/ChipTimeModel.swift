/// How long a flasher stub's CPU work and flash reads take on a real ESP8266 in ROM download
/// mode, so that a realtime board does not decode, hash and scan instantly.
///
/// Time for a job = instructions per byte (counted under QEMU by `StubInstructionCountTests`)
/// × bytes × cycles per instruction / CPU clock, plus, for jobs that read the flash, the SPI
/// read time (`SPIReadTiming`). The CPU clock in download mode is twice the crystal (52 MHz with
/// the usual 26 MHz crystal): the ROM leaves the PLL at its reset setting, which was chosen for a
/// 40 MHz crystal (80 MHz); sources in docs/performance.md.
public struct ChipTimeModel: Equatable, Sendable {
    /// CPU clock in Hz.
    public var cpuHz: Double
    /// Cycles per instruction. 1.0 is the lx106's best case; load-use stalls, taken branches and
    /// IRAM fetches make it larger on a real chip, so the model errs on the fast side.
    public var cyclesPerInstruction: Double
    /// Instructions per byte of the blank scan's compare loop and its reads (espwiz's stub).
    public var blankScanInstructionsPerByte: Double
    /// Instructions per byte hashed by SPI_FLASH_MD5.
    public var md5InstructionsPerByte: Double
    /// Instructions per output byte of inflate (FLASH_DEFL_DATA), writing included.
    public var inflateInstructionsPerByte: Double
    /// Instructions per output byte of the LZMA decoder (FLASH_LZMA_DATA), writing included.
    public var lzmaInstructionsPerByte: Double
    /// Instructions per byte sent by READ_FLASH (read, hash, SLIP-escape, UART FIFO).
    public var readFlashInstructionsPerByte: Double = QEMUCounts.readFlash
    /// Instructions per byte sent by the sparse READ_FLASH's send path (read, SLIP-escape, UART;
    /// it does not hash what it sends: the whole-range MD5 is done while the UART waits).
    public var sparseSendInstructionsPerByte: Double = QEMUCounts.sparseSend
    /// The SPI flash read path.
    public var flashRead: SPIReadTiming

    /// Creates a model.
    public init(cpuHz: Double, cyclesPerInstruction: Double = 1.0, blankScanInstructionsPerByte: Double,
                md5InstructionsPerByte: Double, inflateInstructionsPerByte: Double, lzmaInstructionsPerByte: Double,
                flashRead: SPIReadTiming) {
        self.cpuHz = cpuHz
        self.cyclesPerInstruction = cyclesPerInstruction
        self.blankScanInstructionsPerByte = blankScanInstructionsPerByte
        self.md5InstructionsPerByte = md5InstructionsPerByte
        self.inflateInstructionsPerByte = inflateInstructionsPerByte
        self.lzmaInstructionsPerByte = lzmaInstructionsPerByte
        self.flashRead = flashRead
    }

    /// Download mode on a board with this crystal: CPU at 2 × crystal, the QEMU counts of
    /// espwiz's stub (docs/performance.md), flash read as `SPIReadTiming.downloadMode`.
    public static func downloadMode(crystalMHz: Int) -> ChipTimeModel {
        ChipTimeModel(cpuHz: Double(crystalMHz) * 2_000_000, blankScanInstructionsPerByte: QEMUCounts.blankScan,
                      md5InstructionsPerByte: QEMUCounts.md5, inflateInstructionsPerByte: QEMUCounts.inflate,
                      lzmaInstructionsPerByte: QEMUCounts.lzma, flashRead: .downloadMode)
    }

    /// Instructions per byte measured under QEMU (`StubInstructionCountTests`, printed as
    /// `STUB-INSTRUCTIONS`), for espwiz's stub built as committed. Each includes the word copy
    /// out of the flash (the ROM's SPIRead does the same on the chip) and the protocol work;
    /// the decoders' figures include handing their output to the flash writer.
    public enum QEMUCounts {
        /// Blank scan of erased flash (a dirty sector stops after 1 KiB: about 1,380 per sector).
        public static let blankScan = 1.97
        /// SPI_FLASH_MD5.
        public static let md5 = 16.11
        /// Inflate of a libdeflate level-12 stream of MicroPython v1.9.4, per output byte (296.81
        /// when the decoders were built with -Os; -O2 since they moved to the second stage;
        /// 253.15 before hal_rx_byte's per-byte path stopped saving registers and the block
        /// checksum went word-wise; 246.20 before SLIP frames were received in runs). Decode
        /// only: the test's whole-write figure (232.84) less the idle-time read-back hashing
        /// (6.71, charged apart at the MD5 rate; docs/flasher-stub.md).
        public static let inflate = 226.13
        /// LZMA of the host's stream of the same image, per output byte (read-backs included;
        /// 237.41 with -Os, 230.51 before the decoder kept its range coder and output position in
        /// registers, issue #17: docs/performance.md; 154.99 before SLIP frames were received in
        /// runs; 139.92 before literals were decoded in runs, lzma7). Decode only, as for
        /// inflate: 138.75 in the test less 6.30 of idle-time hashing.
        public static let lzma = 132.45
        /// READ_FLASH, per byte sent (read, MD5, SLIP escaping, handing to the UART).
        public static let readFlash = 43.37
        /// The sparse READ_FLASH's send path, per byte sent (read, SLIP escaping, handing to the
        /// UART), its whole-range hashing apart.
        public static let sparseSend = 29.25
    }

    /// CPU time for `instructions`.
    public func cpu(instructions: Double) -> Duration {
        .seconds(instructions * cyclesPerInstruction / cpuHz)
    }

    /// SPI_FLASH_MD5 of `bytes`: read and hash.
    public func md5(bytes: Int) -> Duration {
        flashRead.time(bytes: bytes) + cpu(instructions: md5InstructionsPerByte * Double(bytes))
    }

    /// READ_FLASH of `bytes`: read, hash and queue them for the UART (the wire time apart).
    public func readFlash(bytes: Int) -> Duration {
        flashRead.time(bytes: bytes) + cpu(instructions: readFlashInstructionsPerByte * Double(bytes))
    }

    /// How much longer than the wire a READ_FLASH packet of `bytes` keeps the chip busy at `baud`.
    /// The stub reads, hashes and escapes a piece while the UART's 128-byte FIFO drains the
    /// previous one (it fills the FIFO by polling), so the chip's work hides behind the wire and
    /// only the part longer than the wire time delays the next packet.
    public func readFlashBeyondWire(bytes: Int, baud: Int) -> Duration {
        let wire = Duration.seconds(Double(bytes) * 10 / Double(max(baud, 1)))
        let work = readFlash(bytes: bytes)
        return work > wire ? work - wire : .zero
    }

    /// The sparse READ_FLASH's send path for `bytes` (read and queue them; no MD5).
    public func sparseSend(bytes: Int) -> Duration {
        flashRead.time(bytes: bytes) + cpu(instructions: sparseSendInstructionsPerByte * Double(bytes))
    }

    /// The sparse READ_FLASH's whole-range MD5 of `rangeBytes`: the dirty sectors (`dirtyBytes`)
    /// are read again, blank sectors too when `rereadBlank`, else hashed as 0xFF from memory.
    /// The stub does this while the UART's FIFO is full, so only what the wire's idle time
    /// does not cover delays the final frame (`SparseReadPlan.send`).
    public func rangeHash(rangeBytes: Int, dirtyBytes: Int, rereadBlank: Bool) -> Duration {
        flashRead.time(bytes: rereadBlank ? rangeBytes : dirtyBytes) + cpu(instructions: md5InstructionsPerByte * Double(rangeBytes))
    }

    /// The scanning sparse READ_FLASH's pass over `bytes` of the range: every byte read once,
    /// checked for 0xFF and hashed (done in the TX idle hook while dirty sectors cross the wire;
    /// `SparseReadPlan.waitForScan` charges what the wire does not hide).
    public func scanningHash(bytes: Int) -> Duration {
        flashRead.time(bytes: bytes) + cpu(instructions: (md5InstructionsPerByte + blankScanInstructionsPerByte) * Double(bytes))
    }

    /// FLASH_BLANK_SCAN that read `bytes` in all.
    public func blankScan(bytesRead: Int) -> Duration {
        flashRead.time(bytes: bytesRead) + cpu(instructions: blankScanInstructionsPerByte * Double(bytesRead))
    }

    /// Decoding `outputBytes` of a compressed write (the flash's own erase and program time apart).
    public func decode(lzma: Bool, outputBytes: Int) -> Duration {
        cpu(instructions: (lzma ? lzmaInstructionsPerByte : inflateInstructionsPerByte) * Double(outputBytes))
    }
}
