import ESPProtocol

extension LoaderClient {
    /// Moves the link to `baud`: CHANGE_BAUDRATE(new, current) to the stub, switch the host
    /// rate, wait 50 ms for the line to settle, flush what arrived meanwhile.
    /// - Throws: `.baudChangeUnsupported` on the ESP8266 ROM (only a stub can change rate).
    public func changeBaud(to baud: Int) throws(LoaderError) {
        guard loaderKind == .stub else { throw .baudChangeUnsupported(requested: baud) }
        try connection.command(.changeBaudrate(newBaud: UInt32(baud), oldBaud: UInt32(link.baud)))
        do { try link.setBaud(baud) } catch { throw .serial(error) }
        clock.sleep(for: LoaderTimeouts.baudSwitchSettle)
        try connection.flushInput()
    }

    /// Writes `image` at `offset` through a stub, compressed with `compression` (FLASH_DEFL_* or
    /// FLASH_LZMA_*, 16 KiB blocks), then, when `verify` is set, compares the stub's MD5 of the
    /// region with the image's.
    /// - Returns: the number of compressed bytes sent.
    @discardableResult
    public func writeFlashCompressed(image: [UInt8], offset: UInt32, verify: Bool = true, compression: StubCompression = .deflate,
                                     progress: (FlashProgress) -> Void = { _ in }) throws(LoaderError) -> Int {
        try requireStub(compression.beginOpcode)
        guard !image.isEmpty else { throw .invalidArgument("There is nothing to write: the image is empty.") }
        return try writeFlashCompressed(CompressedImage(image, compression: compression), offset: offset, verify: verify, progress: progress)
    }

    /// Writes an image compressed ahead of time (see `writeFlashCompressed(image:offset:verify:compression:progress:)`).
    /// A stub that does not know the format answers the BEGIN with an error (`.commandFailed`,
    /// C3 "invalid command" for FLASH_LZMA_BEGIN on esptool's stub) before anything is written.
    @discardableResult
    public func writeFlashCompressed(_ compressed: CompressedImage, offset: UInt32, verify: Bool = true,
                                     progress: (FlashProgress) -> Void = { _ in }) throws(LoaderError) -> Int {
        let format = compressed.compression
        try requireStub(format.beginOpcode)
        try loadPendingStubStage()
        let image = compressed.image, stream = compressed.stream
        guard !image.isEmpty else { throw .invalidArgument("There is nothing to write: the image is empty.") }
        let blockSize = FlashGeometry.stubWriteBlockSize
        let blocks = (stream.count + blockSize - 1) / blockSize
        switch format {
        case .deflate:
            try connection.command(.flashDeflBegin(uncompressedSize: UInt32(image.count), blocks: UInt32(blocks),
                                                   blockSize: UInt32(blockSize), offset: offset))
        case .lzma:
            try connection.command(.flashLZMABegin(uncompressedSize: UInt32(image.count), blocks: UInt32(blocks),
                                                   blockSize: UInt32(blockSize), offset: offset, properties: LZMA.properties))
        }
        let sector = FlashGeometry.sectorSize
        erasedFlash.markWritten(Int(offset)..<(Int(offset) + image.count + sector - 1) / sector * sector)
        // The stub decodes and writes (erasing as it goes) while the next block arrives; the
        // reply can wait for the previous block's work: scale the timeout by the uncompressed
        // bytes a block stands for.
        let perBlock = image.count * blockSize / stream.count + 1
        let timeout = LoaderTimeouts.scaled(secondsPerMB: LoaderTimeouts.writeSecondsPerMB, bytes: perBlock)
        for index in 0..<blocks {
            let start = index * blockSize
            let chunk = Array(stream[start..<min(start + blockSize, stream.count)])
            let frame = (format == .lzma ? Request.flashLZMAData(sequence: UInt32(index), data: chunk)
                                         : Request.flashDeflData(sequence: UInt32(index), data: chunk)).framed()
            try sendBlock(frame: frame, opcode: format.dataOpcode, index: index, count: blocks, timeout: timeout)
            let done = index + 1 == blocks ? image.count : min(image.count, (start + chunk.count) * image.count / stream.count)
            progress(FlashProgress(bytesWritten: done, totalBytes: image.count, blockIndex: index, blockCount: blocks))
        }
        // The clean outside the image ran while the stub waited for these blocks; finish it
        // before the MD5, so the check also covers an erase that went wrong inside the image.
        try finishClean()
        if verify {
            let actual = try flashMD5(offset: offset, size: image.count)
            let expected = MD5.digest(image)
            guard actual == expected else {
                throw .md5Mismatch(offset: offset, size: image.count, expected: Hex.string(expected), actual: Hex.string(actual))
            }
        }
        return stream.count
    }

    /// The stub's MD5 of `size` flash bytes at `offset` (timeout max(3 s, 8 s per MB)).
    public func flashMD5(offset: UInt32, size: Int) throws(LoaderError) -> [UInt8] {
        try requireStub(.spiFlashMD5)
        let timeout = LoaderTimeouts.scaled(secondsPerMB: LoaderTimeouts.md5SecondsPerMB, bytes: size)
        let response = try connection.command(.spiFlashMD5(address: offset, size: UInt32(size)), timeout: timeout)
        return Array(response.payload(length: 16))
    }

    /// Reads `length` flash bytes at `offset` with the stub's READ_FLASH: 4 KiB data frames, each
    /// acknowledged with the running total, then a 16-byte MD5 frame that is checked.
    public func readFlash(offset: UInt32, length: Int,
                          progress: (FlashProgress) -> Void = { _ in }) throws(LoaderError) -> [UInt8] {
        try requireStub(.readFlash)
        try loadPendingStubStage()  // READ_FLASH is second-stage code in espwiz's stub
        let packetSize = FlashGeometry.sectorSize
        try connection.command(.readFlash(offset: offset, length: UInt32(length), packetSize: UInt32(packetSize), maxUnacked: 64))
        var data: [UInt8] = []
        data.reserveCapacity(length)
        var packets = 0
        let expectedPackets = (length + packetSize - 1) / packetSize
        while data.count < length {
            guard let frame = try connection.nextFrame(deadline: clock.now() + LoaderTimeouts.standard) else {
                throw .timedOut(.readFlash, after: LoaderTimeouts.standard)
            }
            data.append(contentsOf: frame)
            if data.count < length && frame.count < packetSize {
                throw .malformedResponse(.readFlash, "a data packet of \(frame.count) bytes, expected \(packetSize)")
            }
            var ack: [UInt8] = []
            LittleEndian.append(UInt32(data.count), to: &ack)
            try connection.write(SLIP.encode(ack))
            progress(FlashProgress(bytesWritten: min(data.count, length), totalBytes: length,
                                   blockIndex: packets, blockCount: expectedPackets))
            packets += 1
        }
        guard data.count == length else {
            throw .malformedResponse(.readFlash, "\(data.count) bytes arrived, \(length) were asked for")
        }
        guard let digest = try connection.nextFrame(deadline: clock.now() + LoaderTimeouts.standard) else {
            throw .timedOut(.readFlash, after: LoaderTimeouts.standard)
        }
        guard digest.count == 16 else {
            throw .malformedResponse(.readFlash, "the digest frame has \(digest.count) bytes, expected 16")
        }
        let actual = MD5.digest(data)
        guard actual == digest else {
            throw .md5Mismatch(offset: offset, size: length, expected: Hex.string(digest), actual: Hex.string(actual))
        }
        return data
    }

    /// Leaves the stub and boots the flash (RUN_USER_CODE; the stub sends no reply).
    public func runUserCodeFromStub() throws(LoaderError) {
        try requireStub(.runUserCode)
        erasedFlash.forget()
        try connection.write(Request.runUserCode.framed())
    }

    private func requireStub(_ opcode: Opcode) throws(LoaderError) {
        guard loaderKind == .stub else { throw .requiresStub(opcode) }
    }
}
