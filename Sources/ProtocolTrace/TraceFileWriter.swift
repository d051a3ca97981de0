#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// Appends trace lines to a file through a buffer, and never throws: the first failure is kept in
/// `problem` (and passed to `onProblem` once), later lines are dropped, and the run goes on.
public final class TraceFileWriter: @unchecked Sendable {
    /// The file's path as given.
    public let path: String
    /// What went wrong, if anything.
    public private(set) var problem: TraceWriteProblem?
    /// Called once, with the first problem.
    public var onProblem: ((TraceWriteProblem) -> Void)?

    private var fd: Int32
    private var buffer: [UInt8] = []
    /// Flushed once this many bytes are waiting: few system calls even for a long flash.
    private let flushThreshold = 64 * 1024

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
        buffer.reserveCapacity(flushThreshold + 4096)
    }

    /// Opens `path` for writing (replacing an existing file), after checking that it is a file in
    /// an existing folder. `allowDevices` lets tests write to /dev/full to see a full disk.
    public static func open(path: String, allowDevices: Bool = false) -> Result<TraceFileWriter, TraceWriteProblem> {
        let folder = parentFolder(of: path)
        var info = stat()
        if stat(folder, &info) != 0 || (info.st_mode & S_IFMT) != S_IFDIR {
            return .failure(.missingFolder(path: path, folder: folder))
        }
        if stat(path, &info) == 0 {
            let kind = info.st_mode & S_IFMT
            if kind == S_IFDIR { return .failure(.isDirectory(path: path)) }
            if kind != S_IFREG && !allowDevices { return .failure(.notAFile(path: path)) }
        }
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return .failure(.cannotOpen(path: path, errno: errno)) }
        return .success(TraceFileWriter(path: path, fd: fd))
    }

    /// The folder part of `path` ("." when there is none).
    static func parentFolder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }

    /// Queues a line (a newline is added).
    public func append(_ line: String) {
        guard problem == nil else { return }
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        if buffer.count >= flushThreshold { flush() }
    }

    /// Writes what is queued.
    public func flush() {
        guard problem == nil, fd >= 0, !buffer.isEmpty else { buffer.removeAll(keepingCapacity: true); return }
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { raw in Glibc.write(fd, raw.baseAddress! + offset, buffer.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                fail(.writeFailed(path: path, errno: errno))
                break
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file.
    public func close() {
        flush()
        guard fd >= 0 else { return }
        if Glibc.close(fd) != 0, problem == nil { fail(.writeFailed(path: path, errno: errno)) }
        fd = -1
    }

    private func fail(_ p: TraceWriteProblem) {
        guard problem == nil else { return }
        problem = p
        onProblem?(p)
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }
}
