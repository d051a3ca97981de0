import ESPProtocol

extension LoaderClient {
    /// Starts a flasher stub in two stages: `firstStage` goes through the ROM loader now (MEM_*,
    /// then MEM_END to `entry`, then its `OHAI`); `secondStage` (espwiz's decoders, READ_FLASH,
    /// the blank scan and the background clean) is only remembered, and uploaded through the
    /// running stub before the first command that needs it (`loadPendingStubStage()`: a
    /// compressed write, `blankSectorMap`, `cleanOutside`, `readFlash` and the sparse and
    /// scanning reads). A run that connects, compares MD5s and finds nothing to write never pays
    /// for it: at 115200 baud its 11 KB are about 1 s.
    public func startStub(firstStage: [RAMSegment], entry: UInt32, secondStage: [RAMSegment] = []) throws(LoaderError) {
        try uploadToRAM(segments: firstStage, entry: entry)
        try waitForStubGreeting()
        pendingStubStage = secondStage.isEmpty ? nil : secondStage
    }

    /// Remembers `secondStage` for a stub that is already running (started by other means, e.g.
    /// the QEMU test build): it is uploaded before the next compressed write.
    public func deferStubStage(_ secondStage: [RAMSegment]) {
        pendingStubStage = secondStage.isEmpty ? nil : secondStage
    }

    /// Uploads the pending second stage, if any, through the running stub: MEM_BEGIN and
    /// MEM_DATA per segment, then MEM_END (the stub checks that all of it arrived and stays in
    /// control). Does nothing when there is none (esptool's stub, or already loaded).
    ///
    /// A link that damages the 6 KiB blocks (each already retried) often still carries 1 KiB
    /// ones, as the small plain writes show: the whole stage is then sent once more in those
    /// (MEM_BEGIN starts it afresh). If that fails too, the first error goes up: it is the
    /// evidence about the link (a damaged MEM_BEGIN in the retry is refused C4, not a checksum error).
    public func loadPendingStubStage() throws(LoaderError) {
        guard let stage = pendingStubStage, loaderKind == .stub else { return }
        do {
            try uploadToRAM(segments: stage, entry: nil)
        } catch let firstError {
            switch firstError {
            case .blockWriteFailed, .timedOut, .malformedResponse, .unexpectedResponses: break
            case .commandFailed(let op, _, _) where op == .memBegin || op == .memData || op == .memEnd: break
            default: throw firstError
            }
            do {
                try uploadToRAM(segments: stage, entry: nil, blockSize: FlashGeometry.romWriteBlockSize)
            } catch {
                if case .serial = error { throw error }
                throw Self.linkEvidence(firstError)
            }
        }
        pendingStubStage = nil
    }

    /// The error to report when the second stage could not be loaded twice. Its MEM_* commands
    /// are espwiz's own, for the stub espwiz itself started, with addresses and sizes the stub
    /// accepts: a refusal (C4 for an address outside the stage, C0 for a bad length) means the
    /// command arrived damaged. MEM_BEGIN's arguments carry no checksum, so a damaged one is
    /// refused, not caught as a checksum error; it is the link's fault, never the stub's.
    static func linkEvidence(_ error: LoaderError) -> LoaderError {
        guard case .commandFailed(let op, let failure, _) = error, !failure.isChecksumError else { return error }
        return .malformedResponse(op, "the flasher stub refused espwiz's own \(op) for its second stage (\(failure)): the command arrived damaged on the link")
    }
}
