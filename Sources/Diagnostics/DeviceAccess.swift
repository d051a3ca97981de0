#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who may open a device file: its mode, owner and group (from `stat`).
public struct DeviceAccess: Sendable, Equatable, Codable {
    /// Permission bits (e.g. 0o660).
    public var mode: UInt32
    /// Owner name (or numeric id).
    public var owner: String
    /// Group name (or numeric id).
    public var group: String

    /// Creates a description.
    public init(mode: UInt32, owner: String, group: String) {
        self.mode = mode & 0o777
        self.owner = owner
        self.group = group
    }

    /// True when members of the group may read and write it.
    public var groupCanReadWrite: Bool { mode & 0o060 == 0o060 }

    /// True when everybody may read and write it.
    public var everyoneCanReadWrite: Bool { mode & 0o006 == 0o006 }

    /// `crw-rw---- root:dialout`.
    public var text: String {
        let bits: [(UInt32, Character)] = [(0o400, "r"), (0o200, "w"), (0o100, "x"), (0o040, "r"), (0o020, "w"), (0o010, "x"),
                                          (0o004, "r"), (0o002, "w"), (0o001, "x")]
        return "c" + String(bits.map { mode & $0.0 != 0 ? $0.1 : "-" }) + " \(owner):\(group)"
    }

    /// Reads the device's mode and ownership; nil when it cannot be stat'ed.
    public static func inspect(_ path: String) -> DeviceAccess? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return DeviceAccess(mode: UInt32(info.st_mode), owner: userName(info.st_uid), group: groupName(info.st_gid))
    }

    static func userName(_ uid: uid_t) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return String(uid) }
        return String(cString: name)
    }

    static func groupName(_ gid: gid_t) -> String {
        guard let entry = getgrgid(gid), let name = entry.pointee.gr_name else { return String(gid) }
        return String(cString: name)
    }
}
