import ESPLoader
import ESPProtocol
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a backup image and its sidecar so that an interrupted or failed backup never looks
/// complete: both go to temporary names (`.<name>.partial-<pid>`) in the target folder, the
/// image is read back and must hash to the stub's MD5, and only then are they renamed, the
/// sidecar first and the image last. On any failure the temporary files are removed.
public struct BackupFileWriter: Sendable {
    /// Create missing parent folders (for the default path in the state folder).
    public var createDirectories: Bool
    /// For tests: write the image to this existing file (e.g. `/dev/full`) instead of a new
    /// temporary one. It is never renamed or removed.
    public var imageSinkOverride: String?

    /// A writer.
    public init(createDirectories: Bool = false, imageSinkOverride: String? = nil) {
        self.createDirectories = createDirectories
        self.imageSinkOverride = imageSinkOverride
    }

    /// Writes `image` to `path` and `sidecar` beside it (`path` + `.json`) after checking that
    /// the bytes on disk hash to `expectedMD5`.
    public func write(image: [UInt8], sidecar: BackupSidecar, to path: String, expectedMD5: [UInt8]) throws(BackupError) {
        try Self.checkFree(path)
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        if createDirectories {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw .writeFailed(path: path, reason: "cannot create the folder \(folder) (\(error.localizedDescription))")
            }
        }
        let suffix = ".partial-\(getpid())"
        let imageTemp = imageSinkOverride ?? folder + "/." + url.lastPathComponent + suffix
        let sidecarPath = BackupSidecar.path(forImage: path)
        let sidecarTemp = folder + "/." + URL(fileURLWithPath: sidecarPath).lastPathComponent + suffix
        var created: [String] = []
        do throws(BackupError) {
            try Self.writeFile(imageTemp, bytes: image, create: imageSinkOverride == nil)
            if imageSinkOverride == nil { created.append(imageTemp) }
            let onDisk = try Self.readFile(imageTemp)
            let actual = MD5.digest(onDisk)
            guard actual == expectedMD5 else {
                throw .writtenFileMismatch(path: path, expected: Hex.string(expectedMD5), actual: Hex.string(actual))
            }
            let json: Data
            do { json = try sidecar.encoded() } catch {
                throw .writeFailed(path: sidecarPath, reason: "the sidecar could not be encoded (\(error))")
            }
            try Self.writeFile(sidecarTemp, bytes: Array(json), create: true)
            created.append(sidecarTemp)
            try Self.rename(sidecarTemp, to: sidecarPath)
            created.removeLast()
            try Self.rename(imageTemp, to: path)
            created.removeAll()
        } catch {
            for temp in created { unlink(temp) }
            throw error
        }
    }

    /// Refuses an output path that is a folder or where the image or its sidecar already exists
    /// (callers check before reading the board, so a long read is not wasted).
    public static func checkFree(_ path: String) throws(BackupError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            throw isDirectory.boolValue ? .outputIsDirectory(path) : .outputExists(path)
        }
        let sidecar = BackupSidecar.path(forImage: path)
        if FileManager.default.fileExists(atPath: sidecar) { throw .outputExists(sidecar) }
    }

    /// Writes `bytes` to a new file (`create`: O_EXCL, so nothing existing is overwritten) or an
    /// existing one, then fsyncs it; ENOSPC and friends come back as `.writeFailed`.
    static func writeFile(_ path: String, bytes: [UInt8], create: Bool) throws(BackupError) {
        let fd = create ? open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) : open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .writeFailed(path: path, reason: String(cString: strerror(errno))) }
        var done = 0
        var failure: Int32 = 0
        bytes.withUnsafeBytes { raw in
            while done < raw.count {
                let n = posixWrite(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                done += n
            }
        }
        if failure == 0 && fsync(fd) != 0 && errno != EINVAL { failure = errno }
        if close(fd) != 0 && failure == 0 { failure = errno }
        if failure != 0 {
            if create { unlink(path) }
            throw .writeFailed(path: path, reason: String(cString: strerror(failure)))
        }
    }

    static func readFile(_ path: String) throws(BackupError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .writeFailed(path: path, reason: "the file just written cannot be read back")
        }
        return Array(data)
    }

    static func rename(_ from: String, to: String) throws(BackupError) {
        guard posixRename(from, to) == 0 else {
            throw .writeFailed(path: to, reason: "rename from \(from) failed: \(String(cString: strerror(errno)))")
        }
    }
}

/// `write(2)` and `rename(2)`, named apart from the writer's own methods.
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
private func posixRename(_ from: String, _ to: String) -> Int32 { rename(from, to) }
