#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The groups of the current process (serial ports need dialout on Debian/Ubuntu, uucp on Arch).
public enum UserGroups {
    /// Names of the process's supplementary and effective groups.
    public static func current() -> [String] {
        let count = getgroups(0, nil)
        var ids = [gid_t](repeating: 0, count: Int(max(count, 0)))
        let n = getgroups(count, &ids)
        var all = Array(ids.prefix(Int(max(n, 0))))
        all.append(getegid())
        var names: [String] = []
        for gid in Set(all).sorted() {
            if let entry = getgrgid(gid), let name = entry.pointee.gr_name {
                names.append(String(cString: name))
            }
        }
        return names
    }
}
