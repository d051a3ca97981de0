/// Everything one doctor run found: the port and board checked and one result per check.
///
/// Device identifiers (MAC address, USB serial numbers) are never stored here.
public struct DoctorReport: Sendable, Equatable, Codable {
    /// espwiz version, when the caller knows it.
    public var espwizVersion: String?
    /// `linux`, `macos` or `windows`.
    public var platform: String
    /// When the run started (ISO 8601).
    public var date: String
    /// The port checked.
    public var port: String?
    /// What is behind the port: bridge, USB id, driver, product.
    public var portDescription: String?
    /// The simulated board profile in practice mode.
    public var simulatedProfile: String?
    /// The board as probed: chip, flash, crystal, image flash mode.
    public var board: String?
    /// One result per check, in order.
    public var results: [CheckResult]

    /// Creates a report.
    public init(espwizVersion: String? = nil, platform: String, date: String, port: String? = nil, portDescription: String? = nil,
                simulatedProfile: String? = nil, board: String? = nil, results: [CheckResult] = []) {
        self.espwizVersion = espwizVersion
        self.platform = platform
        self.date = date
        self.port = port
        self.portDescription = portDescription
        self.simulatedProfile = simulatedProfile
        self.board = board
        self.results = results
    }

    /// The worst verdict (OK when every check passed or was skipped).
    public var worst: CheckVerdict { results.map(\.verdict).max().map { $0 == .skipped ? .ok : $0 } ?? .ok }

    /// WARN and FAIL results, in order.
    public var problems: [CheckResult] { results.filter(\.isProblem) }

    /// The result of one check, if it ran.
    public func result(_ check: CheckID) -> CheckResult? { results.first { $0.check == check } }

    /// Every catalogue id named, in order, without repeats.
    public var catalogueIDs: [String] {
        var seen: Set<String> = []
        return results.compactMap(\.catalogueID).filter { seen.insert($0).inserted }
    }
}
