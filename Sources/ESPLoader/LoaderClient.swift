import ESPProtocol
import SerialTransport

/// The ESP8266 loader client: reset and sync, probe the board, flash through the ROM loader
/// (and, for later use, through a RAM stub).
///
/// Pure protocol logic over a `SerialLink`; the only sleeps are the reset sequences' delays, the
/// pause between SYNC tries and the pause after a baud change, all through `clock`.
public final class LoaderClient {
    /// The command/response layer (exposes noise seen and the loader kind).
    public let connection: LoaderConnection

    /// Creates a client over `link`.
    public init(link: any SerialLink, clock: any LoaderClock = SystemLoaderClock()) {
        connection = LoaderConnection(link: link, clock: clock)
    }

    /// Creates a client over an existing connection.
    public init(connection: LoaderConnection) {
        self.connection = connection
    }

    /// The byte link.
    public var link: any SerialLink { connection.link }
    /// The clock used for delays and timeouts.
    public var clock: any LoaderClock { connection.clock }
    /// Which loader is answering (ROM until a stub is started or detected).
    public var loaderKind: LoaderKind { connection.loaderKind }
    /// Flash this connection erased and has not written since (so a write need not erase it
    /// again). Forgotten on every reset and when the firmware is started.
    public internal(set) var erasedFlash = ErasedFlashMap()
    /// True once the running stub answered FLASH_BLANK_SCAN with an error (it is not espwiz's):
    /// `blankSectorMap` then hashes 64 KiB blocks instead. Forgotten when a stub starts.
    public internal(set) var blankScanUnsupported = false
    /// The running stub's second stage (its decoders), still to be uploaded: set by
    /// `startStub(firstStage:entry:secondStage:)`, sent before the first compressed write, then nil.
    /// Forgotten when a stub starts.
    public internal(set) var pendingStubStage: [RAMSegment]?
    /// The clean `cleanOutside` handed to espwiz's stub, until CLEAN_FINISH (`finishClean()`). Kept
    /// when a stub restarts: the finish then finds no job and cleans in the foreground instead.
    var pendingClean: PendingClean?
    /// How the last clean outside an image was done (`cleanOutside`, `finishClean`), for the record.
    public internal(set) var lastClean: CleanOutsideResult?

    // MARK: Connecting

    /// Resets the board into its bootloader and synchronises.
    ///
    /// Each attempt resets with the next strategy of `strategies` (cycling), flushes input, sends
    /// SYNC up to `syncTries` times (0.1 s each), then drains surplus SYNC replies for 0.1 s. A SYNC
    /// reply whose value is 0 means a stub is already running.
    ///
    /// - Returns: the strategy and attempt that worked, and whether the port could reset at all.
    /// - Throws: `.noBootloaderAnswer` with the noise seen when every attempt fails;
    ///   `.serial` when the port fails.
    public func connect(strategies: [ResetStrategy] = ResetStrategy.unixCycle, attempts: Int = 7,
                        syncTries: Int = 5) throws(LoaderError) -> ConnectResult {
        precondition(!strategies.isEmpty && attempts > 0 && syncTries > 0)
        connection.resetDiagnostics()
        erasedFlash.forget()
        var portCannotReset = false
        for attempt in 0..<attempts {
            let strategy = strategies[attempt % strategies.count]
            if try strategy.perform(on: link.modemLines, clock: clock) == .portCannotReset {
                portCannotReset = true
            }
            try connection.flushInput()
            if let stub = try sync(tries: syncTries) {
                connection.loaderKind = stub ? .stub : .rom
                connection.collectPendingNoise()
                return ConnectResult(strategy: strategy, attempt: attempt + 1, stubAlreadyRunning: stub,
                                     portCannotReset: portCannotReset, noiseSeen: connection.noise)
            }
        }
        connection.collectPendingNoise()
        throw .noBootloaderAnswer(noiseSeen: connection.noise, corruptFrames: connection.corruptFrames,
                                  couldReset: !portCannotReset, attempts: attempts)
    }

    /// Up to `tries` SYNCs; returns nil without an answer, else whether a stub answered.
    private func sync(tries: Int) throws(LoaderError) -> Bool? {
        for attempt in 0..<tries {
            do {
                let reply = try connection.command(frame: LoaderClient.syncFrame, opcode: .sync, timeout: LoaderTimeouts.sync)
                let stub = reply.value == 0
                // The ROM answers one SYNC several times: wait for the rest (at most 100 ms).
                try connection.drain(for: LoaderTimeouts.syncDrain, untilFrames: stub ? 0 : LoaderClient.surplusSyncReplies,
                                     opcode: .sync)
                return stub
            } catch {
                switch error {
                case .serial: throw error
                default:
                    if attempt + 1 < tries { clock.sleep(for: LoaderTimeouts.syncRetryPause) }
                }
            }
        }
        return nil
    }

    /// Surplus replies the ROM sends to one SYNC (it answers eight times).
    static let surplusSyncReplies = 7

    /// The SYNC frame, encoded once.
    static let syncFrame = Request.sync.framed()

    // MARK: Leaving the loader

    /// Hard reset through RTS (EN pulsed low 0.1 s, GPIO0 high): the chip boots its firmware.
    /// Returns `.portCannotReset` when the port has no modem lines.
    @discardableResult
    public func hardReset() throws(LoaderError) -> ResetStrategy.Outcome {
        erasedFlash.forget()
        return try ResetStrategy.hardReset(lines: link.modemLines, clock: clock)
    }

    /// Leaves the loader and runs the firmware in flash without a chip reset.
    ///
    /// ROM: FLASH_BEGIN(0, 0, 0x400, 0) then FLASH_END(1) ("run user code"); the next reset
    /// returns to the bootloader if GPIO0 is still held low. With a stub: RUN_USER_CODE.
    public func runUserCode() throws(LoaderError) {
        erasedFlash.forget()
        if loaderKind == .stub { return try runUserCodeFromStub() }
        try connection.command(.flashBegin(eraseSize: 0, blocks: 0, blockSize: UInt32(FlashGeometry.romWriteBlockSize), offset: 0))
        try connection.command(.flashEnd(runUserCode: true))
    }
}
