import ESPProtocol

extension LoaderClient {
    /// espwiz's sparse READ_FLASH (D2 with a flags word and the dirty-sector bitmap): the stub
    /// sends only `map`'s dirty sectors in 4 KiB frames, 64 unacknowledged, and ends with the MD5
    /// of the whole range, which it computes while its UART sends. Returns nil when the stub
    /// does not know the extension (esptool's, or an older espwiz stub, answers it with a failure
    /// status), so the caller can read run by run and hash with SPI_FLASH_MD5.
    public func readSparseStream(map: BlankMap, rereadBlank: Bool, progress: (FlashProgress) -> Void = { _ in }) throws(LoaderError) -> SparseStreamRead? {
        guard loaderKind == .stub else { throw .requiresStub(.readFlash) }
        try loadPendingStubStage()  // the sparse read and its range hash are second-stage code
        let packetSize = FlashGeometry.sectorSize
        let expected = map.dirtySectorCount * FlashGeometry.sectorSize
        let request = Request.readFlashSparse(offset: UInt32(map.range.lowerBound), length: UInt32(map.range.count),
                                              packetSize: UInt32(packetSize), maxUnacked: 64, rereadBlank: rereadBlank,
                                              dirtyMap: BlankScanBitmap.encode(map.dirty))
        let reply: ResponsePacket
        do {
            reply = try connection.command(request)
        } catch {
            guard case .commandFailed(.readFlash, _, .stub) = error else { throw error }
            return nil
        }
        guard Int(reply.value) == expected else {
            throw .malformedResponse(.readFlash, "the stub will send \(reply.value) bytes, the map has \(expected)")
        }
        var data: [UInt8] = []
        data.reserveCapacity(expected)
        let packets = (expected + packetSize - 1) / packetSize
        var index = 0
        while data.count < expected {
            guard let frame = try connection.nextFrame(deadline: clock.now() + LoaderTimeouts.standard) else {
                throw .timedOut(.readFlash, after: LoaderTimeouts.standard)
            }
            guard frame.count == min(packetSize, expected - data.count) else {
                throw .malformedResponse(.readFlash, "a data packet of \(frame.count) bytes, expected \(min(packetSize, expected - data.count))")
            }
            data.append(contentsOf: frame)
            var ack: [UInt8] = []
            LittleEndian.append(UInt32(data.count), to: &ack)
            try connection.write(SLIP.encode(ack))
            progress(FlashProgress(bytesWritten: data.count, totalBytes: expected, blockIndex: index, blockCount: packets))
            index += 1
        }
        // The hash may still be running over blank sectors after the last packet.
        let wait = max(LoaderTimeouts.standard, LoaderTimeouts.scaled(secondsPerMB: LoaderTimeouts.md5SecondsPerMB, bytes: map.range.count))
        guard let digest = try connection.nextFrame(deadline: clock.now() + wait) else {
            throw .timedOut(.readFlash, after: wait)
        }
        guard digest.count == 16 else {
            throw .malformedResponse(.readFlash, "the digest frame has \(digest.count) bytes, expected 16")
        }
        return SparseStreamRead(data: data, md5: digest)
    }
}
