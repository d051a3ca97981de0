import ESPProtocol

extension LoaderClient {
    /// Loads `segments` into RAM (MEM_BEGIN, MEM_DATA blocks of `blockSize`, 6 KiB unless
    /// told) and sends MEM_END.
    ///
    /// With an `entry` the loader jumps there; code that takes over the UART may swallow the
    /// MEM_END reply, so on the ROM a missing or failed reply is ignored (0.2 s timeout), as
    /// esptool does. Follow with `waitForStubGreeting()` when the code is a flasher stub.
    public func uploadToRAM(segments: [RAMSegment], entry: UInt32?, blockSize: Int = FlashGeometry.ramBlockSize) throws(LoaderError) {
        connection.stubGreetingSeen = false
        for segment in segments {
            let blocks = (segment.data.count + blockSize - 1) / blockSize
            try connection.command(.memBegin(size: UInt32(segment.data.count), blocks: UInt32(blocks),
                                             blockSize: UInt32(blockSize), address: segment.address))
            for index in 0..<blocks {
                let start = index * blockSize
                let chunk = Array(segment.data[start..<min(start + blockSize, segment.data.count)])
                let frame = Request.memData(sequence: UInt32(index), data: chunk).framed()
                try sendBlock(frame: frame, opcode: .memData, index: index, count: blocks, timeout: LoaderTimeouts.standard)
            }
        }
        if loaderKind == .rom {
            do {
                try connection.command(.memEnd(entry: entry), timeout: LoaderTimeouts.memEndROM)
            } catch {
                switch error {
                case .timedOut, .commandFailed: break
                default: throw error
                }
            }
        } else {
            try connection.command(.memEnd(entry: entry))
        }
    }

    /// Waits for the `OHAI` frame a freshly started stub sends, then talks to it as a stub.
    /// - Throws: `.stubFailed` when it does not come within `timeout`.
    public func waitForStubGreeting(timeout: Duration = LoaderTimeouts.stubGreeting) throws(LoaderError) {
        if !connection.stubGreetingSeen {
            let deadline = clock.now() + timeout
            var other = 0
            while true {
                guard let frame = try connection.nextFrame(deadline: deadline) else {
                    throw .stubFailed(other == 0 ? "there was no response within \(LoaderError.seconds(timeout))"
                                                 : "\(other) unexpected frames arrived instead of its OHAI greeting")
                }
                if frame == LoaderConnection.stubGreeting { break }
                other += 1
            }
        }
        connection.stubGreetingSeen = false
        connection.loaderKind = .stub
        blankScanUnsupported = false
        pendingStubStage = nil
    }
}
