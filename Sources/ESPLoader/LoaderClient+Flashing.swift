import ESPProtocol

extension LoaderClient {
    /// Attempts per flash block before giving up (esptool's WRITE_BLOCK_ATTEMPTS).
    public static let blockAttempts = 3

    /// Sends FLASH_BEGIN for writing `size` bytes at `offset`; the ROM erases before replying.
    ///
    /// The ROM gets the erase-bug workaround size and a timeout of max(3 s, 40 s per MB); a stub
    /// gets the plain size (it has no such bug and erases as it writes).
    @discardableResult
    public func beginFlash(offset: UInt32, size: Int) throws(LoaderError) -> ROMFlashPlan {
        let plan = ROMFlashPlan(offset: offset, dataSize: size, loader: loaderKind)
        erasedFlash.markWritten(plan.writtenRange)
        try connection.command(plan.beginRequest, timeout: plan.beginTimeout)
        return plan
    }

    /// Writes `image` at `offset` with FLASH_BEGIN and 1 KiB FLASH_DATA blocks (last one padded
    /// with 0xFF). Each block is tried up to 3 times on a checksum error or timeout.
    ///
    /// Every frame is encoded before FLASH_BEGIN, so nothing but the wire and the chip stands
    /// between one block's reply and the next block. With `erase: .ifNeeded` (the default) the
    /// ROM erases the range in FLASH_BEGIN unless this connection already erased all of it (after
    /// `eraseFlash`, say), in which case it is sent erase size 0 and goes straight to writing.
    ///
    /// Does not send FLASH_END (it would leave the loader, as esptool notes); finish with
    /// `hardReset()` or `runUserCode()`.
    @discardableResult
    public func writeFlash(image: [UInt8], offset: UInt32, erase: EraseBeforeWrite = .ifNeeded,
                           progress: (FlashProgress) -> Void = { _ in }) throws(LoaderError) -> ROMFlashPlan {
        guard !image.isEmpty else { throw .invalidArgument("There is nothing to write: the image is empty.") }
        let layout = ROMFlashPlan(offset: offset, dataSize: image.count, loader: loaderKind)
        let eraseFirst: Bool
        switch erase {
        case .always: eraseFirst = true
        case .never: eraseFirst = false
        case .ifNeeded: eraseFirst = !erasedFlash.isErased(layout.writtenRange)
        }
        let plan = ROMFlashPlan(offset: offset, dataSize: image.count, loader: loaderKind, erase: eraseFirst)
        let frames = (0..<plan.blockCount).map { index in
            Request.flashData(sequence: UInt32(index), data: plan.block(index, of: image)).framed()
        }
        erasedFlash.markWritten(plan.writtenRange)
        try connection.command(plan.beginRequest, timeout: plan.beginTimeout)
        for (index, frame) in frames.enumerated() {
            try sendBlock(frame: frame, opcode: .flashData, index: index, count: plan.blockCount, timeout: LoaderTimeouts.standard)
            progress(FlashProgress(bytesWritten: plan.dataBytes(throughBlock: index), totalBytes: image.count,
                                   blockIndex: index, blockCount: plan.blockCount))
        }
        return plan
    }

    /// Sends one pre-encoded data block, retrying on checksum errors and timeouts.
    func sendBlock(frame: [UInt8], opcode: Opcode, index: Int, count: Int, timeout: Duration) throws(LoaderError) {
        var attempt = 0
        while true {
            attempt += 1
            do {
                try connection.command(frame: frame, opcode: opcode, timeout: timeout)
                return
            } catch {
                let retryable: Bool
                switch error {
                case .commandFailed(_, let failure, _): retryable = failure.isChecksumError
                case .timedOut, .malformedResponse, .unexpectedResponses: retryable = true
                default: retryable = false
                }
                guard retryable, attempt < LoaderClient.blockAttempts else {
                    throw .blockWriteFailed(block: index, blockCount: count, attempts: attempt, lastError: error)
                }
            }
        }
    }

    /// Erases `[offset, offset + size)`; both must be multiples of 4 KiB.
    ///
    /// ROM: FLASH_BEGIN with the workaround erase size and no blocks (the ROM erases, then
    /// replies). Stub: ERASE_REGION. Timeout max(3 s, 40 s per MB).
    public func eraseRegion(offset: UInt32, size: Int) throws(LoaderError) {
        let sector = FlashGeometry.sectorSize
        guard Int(offset) % sector == 0, size % sector == 0, size > 0 else {
            throw .invalidArgument("An erase region must start and end on a 4 KiB boundary (got offset \(Hex.format(offset, digits: 8)), size \(size)).")
        }
        let timeout = LoaderTimeouts.scaled(secondsPerMB: LoaderTimeouts.eraseSecondsPerMB, bytes: size)
        if loaderKind == .stub {
            try connection.command(.eraseRegion(offset: offset, size: UInt32(size)), timeout: timeout)
        } else {
            let erase = ROMEraseWorkaround.eraseSize(offset: offset, size: UInt32(size))
            try connection.command(.flashBegin(eraseSize: erase, blocks: 0, blockSize: UInt32(FlashGeometry.romWriteBlockSize), offset: offset),
                                   timeout: timeout)
        }
        erasedFlash.markErased(Int(offset)..<Int(offset) + size)
    }

    /// Erases the whole flash chip of `chipSize` bytes.
    ///
    /// With a stub: ERASE_FLASH (timeout 120 s). Without a stub this sends FLASH_BEGIN with
    /// `ROMEraseWorkaround.eraseSize(0, chipSize)` and 0 blocks: the ROM erases the range with
    /// sector and 64 KiB block erases and replies only when it is done, so the host knows the
    /// erase finished (and whether it failed). The esptool-1.x alternative, MEM_END jumping to
    /// the ROM's SPIEraseChip (0x40004984), gives no completion signal: the chip never answers
    /// again and the host can only wait a guessed time and reset. The timeout is 40 s per MB.
    public func eraseFlash(chipSize: Int) throws(LoaderError) {
        if loaderKind == .stub {
            try connection.command(.eraseFlash, timeout: LoaderTimeouts.chipErase)
            if chipSize > 0 { erasedFlash.markErased(0..<chipSize) }
            return
        }
        guard chipSize > 0, chipSize % FlashGeometry.sectorSize == 0 else {
            throw .invalidArgument("The chip size must be a positive multiple of 4 KiB (got \(chipSize)).")
        }
        try eraseRegion(offset: 0, size: chipSize)
    }
}
