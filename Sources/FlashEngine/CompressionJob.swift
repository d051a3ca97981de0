import ESPLoader
import Foundation

/// Compresses an image on a background thread while the board is being connected and the stub
/// uploaded, so the write can start the moment the stub is ready (LZMA takes about 0.2 s for a
/// 600 KB image, as long as the stub upload at 460800 baud).
final class CompressionJob: @unchecked Sendable {
    /// The image being compressed.
    let image: [UInt8]
    /// Its format.
    let compression: StubCompression
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var outcome: Result<CompressedImage, LoaderError>?

    /// Starts compressing `image` with `compression` on a background thread.
    init(image: [UInt8], compression: StubCompression) {
        self.image = image
        self.compression = compression
        let thread = Thread { [self] in
            let result = Result<CompressedImage, LoaderError> { () throws(LoaderError) in try CompressedImage(image, compression: compression) }
            lock.withLock { outcome = result }
            done.signal()
        }
        thread.name = "espwiz-compress"
        thread.start()
    }

    /// Waits for the stream (at once when it is ready).
    func result() throws(LoaderError) -> CompressedImage {
        if let ready = lock.withLock({ outcome }) { return try ready.get() }
        done.wait()
        done.signal()  // later callers do not block
        return try lock.withLock { outcome! }.get()
    }
}
