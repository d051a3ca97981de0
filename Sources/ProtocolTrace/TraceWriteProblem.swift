#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// Why a trace file could not be written, with the fix. The run itself goes on regardless.
public enum TraceWriteProblem: Error, Equatable, Sendable {
    /// The folder the file should go in does not exist.
    case missingFolder(path: String, folder: String)
    /// The path names a folder.
    case isDirectory(path: String)
    /// The path names a device, pipe or socket, not a regular file.
    case notAFile(path: String)
    /// The file could not be created or opened.
    case cannotOpen(path: String, errno: Int32)
    /// Writing failed part-way (a full disk, an I/O error).
    case writeFailed(path: String, errno: Int32)

    /// One message: what happened, why, and the fix.
    public var message: String {
        switch self {
        case .missingFolder(let path, let folder):
            "The protocol trace could not be written to \(path): the folder \(folder) does not exist. "
                + "The run went on without a trace. Fix: create the folder (mkdir -p \(folder)) or give --trace a path in an existing folder."
        case .isDirectory(let path):
            "The protocol trace could not be written to \(path): that is a folder. "
                + "The run went on without a trace. Fix: give --trace a file name, e.g. \(path.hasSuffix("/") ? path : path + "/")espwiz-trace.txt."
        case .notAFile(let path):
            "The protocol trace could not be written to \(path): that is a device, not a file. "
                + "The run went on without a trace. Fix: give --trace a file path, e.g. ~/espwiz-trace.txt."
        case .cannotOpen(let path, let code):
            "The protocol trace could not be written to \(path): \(TraceWriteProblem.describe(code)). "
                + "The run went on without a trace. Fix: \(TraceWriteProblem.fix(code))"
        case .writeFailed(let path, let code):
            "The protocol trace could not be written completely to \(path): \(TraceWriteProblem.describe(code)); it stops where the write failed. "
                + "The run went on. Fix: \(TraceWriteProblem.fix(code))"
        }
    }

    static func describe(_ code: Int32) -> String {
        let text = strerror(code).map { String(cString: $0) } ?? "error \(code)"
        return "\(text) (errno \(code))"
    }

    static func fix(_ code: Int32) -> String {
        switch code {
        case ENOSPC, EDQUOT: "free some space on that disk (df -h shows how full it is) or give --trace a path on another disk."
        case EACCES, EPERM: "give --trace a path in a folder you may write to, such as your home folder."
        case EROFS: "that disk is read-only; give --trace a path on a writable disk, such as your home folder."
        default: "give --trace a path in a folder you own, such as your home folder, and try again."
        }
    }
}
