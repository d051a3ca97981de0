import RunRecord

/// Which runs go into a guide: all of one chip family, failed ones left out (with a note) unless asked for.
public struct RunSelection: Sendable {
    /// The runs the guide covers, in the order given.
    public var included: [RunRecord]
    /// The runs left out, with the name they were given by and why.
    public var leftOut: [(name: String, reason: String)]

    /// A selection as given.
    public init(included: [RunRecord], leftOut: [(name: String, reason: String)] = []) {
        self.included = included
        self.leftOut = leftOut
    }

    /// The chip family a record's chip belongs to (`ESP8266EX` and `ESP8266` → `ESP8266`; `ESP8285N08` → `ESP8285`).
    public static func chipFamily(_ chip: String) -> String {
        let upper = chip.uppercased()
        for family in ["ESP8266", "ESP8285", "ESP32"] where upper.hasPrefix(family) {
            return family == "ESP32" ? chip : family
        }
        return chip
    }

    /// Picks the runs for one guide.
    ///
    /// - Parameters:
    ///   - records: the runs with the names (file paths) they were read from.
    ///   - includeFailed: keep failed and unfinished runs too.
    /// - Throws: `DocsRenderingError.unknownSchema` for a schema version espwiz never wrote, `.mixedChips` when the runs are of different chips,
    ///   `.noSuccessfulRun` when every run failed and `includeFailed` is false (a single run is always kept).
    public static func select(_ records: [(name: String, record: RunRecord)], includeFailed: Bool) throws(DocsRenderingError) -> RunSelection {
        // RunRecordStore refuses newer schemas; a version below 1 was never written by espwiz.
        for r in records where r.record.schemaVersion < 1 {
            throw .unknownSchema(file: r.name, version: r.record.schemaVersion)
        }
        var families: [String: [String]] = [:]
        for r in records {
            guard let chip = r.record.board?.chip else { continue }
            families[chipFamily(chip), default: []].append(r.name)
        }
        if families.count > 1 {
            throw .mixedChips(families.keys.sorted().map { ($0, families[$0]!) })
        }
        if records.count == 1 || includeFailed {
            return RunSelection(included: records.map(\.record), leftOut: [])
        }
        var included: [RunRecord] = []
        var leftOut: [(String, String)] = []
        for r in records {
            switch r.record.result {
            case .success, .written: included.append(r.record)
            case .failed: leftOut.append((r.name, "the run failed" + (r.record.error.map { " (" + $0.id.rawValue + ")" } ?? "")))
            case .interrupted: leftOut.append((r.name, "the run was interrupted"))
            case .inProgress: leftOut.append((r.name, "the run never finished"))
            case .skipped: leftOut.append((r.name, "the board was skipped (already flashed in a station run)"))
            }
        }
        if included.isEmpty { throw .noSuccessfulRun(records.map(\.name)) }
        return RunSelection(included: included, leftOut: leftOut)
    }
}
