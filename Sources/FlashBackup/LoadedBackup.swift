import ESPLoader
import ESPProtocol
import Foundation

/// A backup read from disk and checked against its sidecar (size and MD5).
public struct LoadedBackup: Sendable {
    /// The image file's path.
    public let path: String
    /// The image bytes.
    public let image: [UInt8]
    /// Its sidecar.
    public let sidecar: BackupSidecar

    /// Reads `path` and `path.json`, and refuses an image whose size or MD5 is not the sidecar's.
    public init(path: String) throws(BackupError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: path) else {
            throw .readFailed(path: path, reason: "no such file")
        }
        let sidecarPath = BackupSidecar.path(forImage: path)
        guard let json = FileManager.default.contents(atPath: sidecarPath) else {
            throw .readFailed(path: sidecarPath, reason: "the sidecar is missing")
        }
        let sidecar: BackupSidecar
        do { sidecar = try BackupSidecar.decode(json) } catch {
            throw .readFailed(path: sidecarPath, reason: "not an espwiz backup sidecar (\(error))")
        }
        let image = Array(data)
        guard image.count == sidecar.size else {
            throw .imageDoesNotMatchSidecar(path: path, expected: "\(sidecar.size) bytes", actual: "\(image.count) bytes")
        }
        let md5 = Hex.string(MD5.digest(image))
        guard md5 == sidecar.md5.lowercased() else {
            throw .imageDoesNotMatchSidecar(path: path, expected: "MD5 \(sidecar.md5)", actual: "MD5 \(md5)")
        }
        self.path = path
        self.image = image
        self.sidecar = sidecar
    }

    /// The flash range the image covers.
    public var range: Range<Int> { sidecar.offset..<(sidecar.offset + image.count) }
}
