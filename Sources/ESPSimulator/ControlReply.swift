import Foundation

/// One reply line of the control channel: `{"ok":true,"status":{…}}` or `{"ok":false,"error":"…"}`.
public struct ControlReply: Equatable, Sendable, Codable {
    /// True when the command was carried out.
    public var ok: Bool
    /// Why it was not, when `ok` is false.
    public var error: String?
    /// The board's status after the command.
    public var status: SimulatorStatus?

    /// A successful reply carrying the status.
    public static func success(_ status: SimulatorStatus) -> ControlReply { ControlReply(ok: true, error: nil, status: status) }

    /// A failed reply with its reason.
    public static func failure(_ message: String) -> ControlReply { ControlReply(ok: false, error: message, status: nil) }

    /// The reply as one line of JSON (no trailing newline).
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self), let text = String(data: data, encoding: .utf8) else {
            return #"{"ok":false,"error":"reply could not be encoded"}"#
        }
        return text
    }

    /// Parses a reply line.
    public static func parse(_ line: String) throws -> ControlReply {
        try JSONDecoder().decode(ControlReply.self, from: Data(line.utf8))
    }
}
