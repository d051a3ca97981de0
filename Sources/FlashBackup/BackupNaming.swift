import Foundation

/// Default backup names: `backup-<mac without colons>-<UTC date and time>.bin` in the state
/// folder's `backups` directory, so backups of one board sort together and by date.
public enum BackupNaming {
    /// The file name for a board with `mac` (nil: `unknown-mac`) backed up at `date`.
    public static func fileName(mac: String?, date: Date) -> String {
        let id = mac.map { $0.lowercased().filter { $0 != ":" } } ?? "unknown-mac"
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return "backup-\(id)-\(formatter.string(from: date)).bin"
    }

    /// `<stateDirectory>/backups/<fileName>`.
    public static func defaultURL(stateDirectory: URL, mac: String?, date: Date) -> URL {
        stateDirectory.appendingPathComponent("backups", isDirectory: true).appendingPathComponent(fileName(mac: mac, date: date))
    }
}
