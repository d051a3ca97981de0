import Foundation
import RemoteSerial

/// A TCP proxy on loopback that holds every chunk for `delay` in each direction, standing in for
/// a network between the machine with espwiz and the one with the board.
final class DelayProxy: @unchecked Sendable {
    let listener: TCPListener
    let delay: Duration
    private let upstreamPort: Int
    private let lock = NSLock()
    private var stopped = false
    private var connections: [TCPConnection] = []

    init(to upstreamPort: Int, delay: Duration) throws {
        self.upstreamPort = upstreamPort
        self.delay = delay
        listener = try TCPListener(address: ListenAddress(host: "127.0.0.1", port: 0))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    var port: Int { listener.address.port }

    func stop() {
        lock.withLock { stopped = true }
        listener.close()
        lock.withLock { connections }.forEach { $0.close() }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func acceptLoop() {
        while !isStopped {
            guard let (client, _) = listener.accept(timeout: .milliseconds(100)) else { continue }
            guard let server = try? TCPConnection.connect(host: "127.0.0.1", port: upstreamPort, timeout: .seconds(2), name: "upstream") else {
                client.close()
                continue
            }
            lock.withLock { connections += [client, server] }
            relay(from: client, to: server)
            relay(from: server, to: client)
        }
    }

    /// Reads chunks as they come and delivers each `delay` after it arrived, in order.
    private func relay(from source: TCPConnection, to sink: TCPConnection) {
        let queue = DelayedQueue()
        Thread.detachNewThread { [self] in
            while !isStopped {
                guard let chunk = try? source.read(maxCount: 65536, timeout: .milliseconds(100)) else { break }
                if !chunk.isEmpty { queue.push(chunk, due: ContinuousClock.now + delay) }
            }
            queue.close()
        }
        Thread.detachNewThread {
            while let (chunk, due) = queue.pop() {
                let wait = due - ContinuousClock.now
                if wait > .zero { Thread.sleep(forTimeInterval: Double(wait.components.attoseconds) / 1e18 + Double(wait.components.seconds)) }
                if (try? sink.write(chunk)) == nil { break }
            }
            sink.close()
            source.close()
        }
    }
}

/// A blocking FIFO of (bytes, due time).
final class DelayedQueue: @unchecked Sendable {
    private var items: [([UInt8], ContinuousClock.Instant)] = []
    private var closed = false
    private let condition = NSCondition()

    func push(_ bytes: [UInt8], due: ContinuousClock.Instant) {
        condition.lock()
        items.append((bytes, due))
        condition.signal()
        condition.unlock()
    }

    func close() {
        condition.lock()
        closed = true
        condition.signal()
        condition.unlock()
    }

    func pop() -> ([UInt8], ContinuousClock.Instant)? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        return items.isEmpty ? nil : items.removeFirst()
    }
}
