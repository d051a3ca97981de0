import SerialTransport
import Troubleshooting

/// Whether this user may open the port, and if not: which group is missing and the exact command.
public enum PermissionCheck {
    /// The groups that own serial ports on common distributions.
    public static let serialGroups = ["dialout", "uucp"]

    /// The result for an open attempt (`openError` nil when the port opened).
    ///
    /// A busy port counts as permitted: the kernel only reports it busy after the permission check.
    public static func evaluate(path: String, openError: SerialError?, access: DeviceAccess?, userGroups: [String]?,
                                userID: UInt32, platform: Troubleshooting.Platform = .current) -> CheckResult {
        let modeText = access.map { " (\($0.text))" } ?? ""
        switch openError {
        case nil, .busy?:
            let asRoot = userID == 0 ? "; running as root, so file permissions were not tested (a normal user needs the device's group)" : ""
            return .ok(.permission, "This user may open \(path)\(modeText)\(asRoot).")
        case .permissionDenied?:
            return denied(path: path, access: access, userGroups: userGroups, platform: platform)
        case .notFound?:
            return .problem(.permission, .fail, "\(path) disappeared or does not exist.", id: "port-not-found", platform: platform)
        case .notATerminal?:
            return .problem(.permission, .fail, "\(path) is not a serial port.", id: "port-not-found",
                            fix: "Pick the board's port: espwiz ports lists them.", platform: platform)
        case let other?:
            return .problem(.permission, .fail, "Opening \(path) failed: \(other.description)", id: other.catalogueID, platform: platform)
        }
    }

    /// The FAIL for EACCES: which group the device belongs to, whether the user is in it, and the command.
    static func denied(path: String, access: DeviceAccess?, userGroups: [String]?, platform: Troubleshooting.Platform) -> CheckResult {
        guard platform == .linux else {
            return .problem(.permission, .fail, "No permission to open \(path).", id: "permission-denied", platform: platform)
        }
        let modeText = access.map { " (\($0.text))" } ?? ""
        let groups = userGroups ?? []
        if let access, access.groupCanReadWrite, access.group != "root" {
            let member = groups.contains(access.group)
            let summary = member
                ? "No permission to open \(path)\(modeText), although this session is in group \(access.group)."
                : "No permission to open \(path)\(modeText): you are not in group \(access.group)\(groups.isEmpty ? "" : " (your groups: \(groups.joined(separator: ", ")))")."
            let fix = member
                ? "Check `ls -l \(path)` and that no security module (AppArmor, a container) blocks the device, then replug the board."
                : "sudo usermod -aG \(access.group) $USER, then log out and back in (`groups` must list \(access.group))."
            return .problem(.permission, .fail, summary, id: "permission-denied", fix: fix, platform: platform)
        }
        let group = serialGroups.first { groups.contains($0) } ?? "dialout"
        let owner = access.map { "only \($0.owner) may open it" } ?? "the device's mode does not allow this user"
        return .problem(.permission, .fail, "No permission to open \(path)\(modeText): \(owner).", id: "permission-denied",
                        fix: "Serial adapters normally belong to group dialout (uucp on Arch): sudo usermod -aG \(group) $USER and log out and in; for this device now: sudo chmod a+rw \(path) (lasts until it is recreated).",
                        platform: platform)
    }
}
