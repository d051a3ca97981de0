extension SerialLink {
    /// Reads whatever arrives for at most `limit`: stops early once the line has been quiet for
    /// `quiet` after some data (nil: never), or as soon as `enough` says the bytes so far suffice.
    ///
    /// For listening to output nobody asked for, such as a ROM boot log after a reset.
    public func listen(for limit: Duration, quietAfterData quiet: Duration? = nil,
                       until enough: ([UInt8]) -> Bool = { _ in false }) throws(SerialError) -> [UInt8] {
        var bytes: [UInt8] = []
        let deadline = ContinuousClock.now + limit
        var lastData = ContinuousClock.now
        while ContinuousClock.now < deadline {
            let chunk = try read(maxCount: 4096, timeout: max(.zero, min(.milliseconds(100), deadline - ContinuousClock.now)))
            if chunk.isEmpty {
                if let quiet, !bytes.isEmpty, ContinuousClock.now - lastData >= quiet { break }
            } else {
                bytes += chunk
                lastData = ContinuousClock.now
                if enough(bytes) { break }
            }
        }
        return bytes
    }
}
