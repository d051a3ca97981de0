import Foundation
import SerialTransport

/// The serving thread: bytes from the client through the line to the chip and its replies back, paced like the real line in realtime mode.
extension SimulatedBoard {
    func serve() {
        while true {
            var outputs: [ChipOutput] = []
            var activePTY: PseudoTerminal?
            let keepGoing = lock.withLock { () -> Bool in
                guard running else { return false }
                for request in plugRequests {
                    applyPlug(request.plug)
                    request.done.signal()
                }
                plugRequests = []
                if let deadline = strapDeadline, ContinuousClock.now >= deadline {
                    strapDeadline = nil
                    inReset = false
                    let gpio0Low = circuit.gpio0Low(dtr: dtr, rts: rts) || bootButton
                    pendingOutputs = chip.reset(gpio0Low: gpio0Low)
                }
                if plugged && !inReset && !wire.faults.stalled { pendingOutputs += chip.poll() }
                outputs = pendingOutputs
                pendingOutputs = []
                activePTY = plugged ? pty : nil
                return true
            }
            guard keepGoing else { break }
            guard let port = activePTY else {
                Thread.sleep(forTimeInterval: 0.01)
                continue
            }
            emit(outputs, to: port)
            var bytes = heldInput
            heldInput = []
            if bytes.isEmpty {
                do {
                    bytes = try port.read(maxCount: 65_536, timeout: .milliseconds(5))
                } catch {
                    Thread.sleep(forTimeInterval: 0.01)
                    continue
                }
                guard !bytes.isEmpty else { continue }
                arrived(bytes, on: port)
            }
            let clientBaud = port.clientBaud
            if options.realtime {
                // The bytes take their time on the wire before the chip has them all.
                let wait = inputWireFreeAt - ContinuousClock.now
                if wait > .zero { sleep(wait) }
            }
            let replies = lock.withLock { () -> [ChipOutput] in
                guard !inReset else { return [] }
                // Output of a reset or replug made while this thread was reading comes first
                // (else the ROM banner's 74880 would follow, and garble, the SYNC reply).
                let earlier = pendingOutputs
                pendingOutputs = []
                let received = wire.toChip(bytes, baud: clientBaud)
                // The chip waited from the end of its last output until these bytes were all in.
                if options.realtime { chip.idle(ContinuousClock.now - chipIdleSince) }
                return earlier + chip.receive(received, clientBaud: clientBaud)
            }
            emit(replies, to: port)
            chipIdleSince = ContinuousClock.now
        }
        lock.withLock {
            for request in plugRequests { request.done.signal() }
            plugRequests = []
        }
        finishedCondition.lock()
        serveFinished = true
        finishedCondition.broadcast()
        finishedCondition.unlock()
    }

    private func emit(_ outputs: [ChipOutput], to port: PseudoTerminal) {
        for output in outputs {
            // stop() waits for this thread: a long reply to a client that no longer reads must not hold it.
            guard lock.withLock({ running }) else { return }
            switch output {
            case .uartBaud(let b):
                wireBaud = b
            case .busy(let d):
                lock.withLock { traffic.busyMicroseconds += Int(d / .microseconds(1)) }
                if options.realtime { sleep(d) }
            case .busyReceiving(let d):
                lock.withLock {
                    traffic.busyMicroseconds += Int(d / .microseconds(1))
                    traffic.overlappedBusyMicroseconds += Int(d / .microseconds(1))
                }
                guard options.realtime else { break }
                // The UART keeps receiving while the chip is busy: keep taking bytes off the line.
                let end = ContinuousClock.now + d
                while lock.withLock({ running }) {
                    let left = end - ContinuousClock.now
                    guard left > .zero else { break }
                    guard let bytes = try? port.read(maxCount: 65_536, timeout: min(left, .milliseconds(5))) else {
                        sleep(min(left, .milliseconds(5)))
                        continue
                    }
                    if !bytes.isEmpty {
                        arrived(bytes, on: port)
                        heldInput += bytes
                    }
                }
            case .bytes(let bytes):
                if options.realtime {
                    let slice = max(16, wireBaud / 10 / 100)  // about 10 ms of line time
                    var i = 0
                    while i < bytes.count, lock.withLock({ running }) {
                        let part = Array(bytes[i..<min(bytes.count, i + slice)])
                        send(part, to: port)
                        sleep(.nanoseconds(Int64(part.count) * 10 * 1_000_000_000 / Int64(max(1, wireBaud))))
                        i += slice
                    }
                } else {
                    send(bytes, to: port)
                }
            }
        }
    }

    /// Counts bytes read from the client and, in realtime mode, when the line finishes delivering them.
    private func arrived(_ bytes: [UInt8], on port: PseudoTerminal) {
        let clientBaud = port.clientBaud
        lock.withLock {
            traffic.bytesFromClient += bytes.count
            traffic.wireMicroseconds += SimulatedBoard.lineMicroseconds(bytes.count, baud: clientBaud)
        }
        guard options.realtime, clientBaud > 0 else { return }
        let onWire = Duration.nanoseconds(Int64(bytes.count) * 10 * 1_000_000_000 / Int64(clientBaud))
        inputWireFreeAt = max(inputWireFreeAt, ContinuousClock.now) + onWire
    }

    private func send(_ bytes: [UInt8], to port: PseudoTerminal) {
        let clientBaud = port.clientBaud
        let onWire = lock.withLock { () -> [UInt8] in
            traffic.bytesToClient += bytes.count
            traffic.wireMicroseconds += SimulatedBoard.lineMicroseconds(bytes.count, baud: wireBaud)
            return wire.toClient(bytes, uartBaud: wireBaud, clientBaud: clientBaud)
        }
        guard !onWire.isEmpty, port.masterFD >= 0 else { return }
        try? FDIO.writeAll(fd: port.masterFD, bytes: onWire, name: port.slavePath, timeout: .seconds(3))
    }

    /// Line time of `count` bytes at `baud` (10 bits a byte), in microseconds.
    static func lineMicroseconds(_ count: Int, baud: Int) -> Int {
        baud > 0 ? count * 10_000_000 / baud : 0
    }

    private func sleep(_ d: Duration) {
        let (s, attos) = d.components
        let seconds = Double(s) + Double(attos) / 1e18
        if seconds > 0 { Thread.sleep(forTimeInterval: seconds) }
    }
}
