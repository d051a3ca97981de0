import RunRecord

/// One thing a run taught about this board or adapter, with the troubleshooting entry that explains it.
public struct RunAdvice: Sendable, Equatable {
    /// The advice in plain text (escaped when rendered).
    public var text: String
    /// The troubleshooting catalogue id it links to.
    public var catalogueID: String?

    /// Creates advice.
    public init(text: String, catalogueID: String?) {
        self.text = text
        self.catalogueID = catalogueID
    }

    /// Catalogue ids the docs link to when the record names none.
    public enum Catalogue {
        /// Serial errors at a high baud rate.
        public static let noisyLink = "noisy-link"
        /// The board boot-loops with the flash mode in the image header.
        public static let flashModeBootloop = "flash-mode-bootloop"
        /// The adapter cannot reset the board into the bootloader.
        public static let manualBootNeeded = "manual-boot-needed"
        /// The bootloader did not answer.
        public static let noBootloaderAnswer = "no-bootloader-answer"
    }

    /// What a run record says, as advice, in the order it happened.
    public static func from(_ record: RunRecord) -> [RunAdvice] {
        var out: [RunAdvice] = []
        if record.board?.bootloaderEntry == "manual" {
            out.append(RunAdvice(
                text: "Manual boot was required: the adapter could not reset this board into its bootloader, so it had to be entered by hand (hold FLASH/GPIO0 low, tap RESET, release FLASH).",
                catalogueID: Catalogue.manualBootNeeded))
        }
        out += baudAdvice(record.baudAttempts)
        if !record.flashModeChanges.isEmpty {
            let chain = ([record.flashModeChanges[0].from] + record.flashModeChanges.map(\.to)).map { $0.uppercased() }
            let last = chain.last ?? ""
            let reasons = record.flashModeChanges.map { "\($0.from.uppercased()): \($0.reason)" }.joined(separator: "; ")
            out.append(RunAdvice(
                text: "This board needed \(last): it did not boot with \(chain.dropLast().joined(separator: " or ")) (\(reasons)), so the write uses flash mode \(last.lowercased()).",
                catalogueID: Catalogue.flashModeBootloop))
        }
        switch record.result {
        case .failed:
            let e = record.error
            var text = "The run failed: " + (e?.message ?? "no error message was recorded")
            if let cause = e?.cause { text += " Cause: " + cause }
            if let fix = e?.fix { text += " Fix: " + fix }
            out.append(RunAdvice(text: text, catalogueID: e?.id.rawValue))
        case .interrupted:
            out.append(RunAdvice(text: "The run was interrupted before it finished" + (record.boardState.map { "; the board was left " + $0.rawValue } ?? "") + ".",
                                 catalogueID: record.error?.id.rawValue))
        case .inProgress:
            out.append(RunAdvice(text: "The run never finished (espwiz stopped while it was running)" + (record.boardState.map { "; the board was left " + $0.rawValue } ?? "") + ".",
                                 catalogueID: record.error?.id.rawValue))
        case .written:
            out.append(RunAdvice(text: "The firmware was written and checked by MD5; the boot check was skipped (--no-verify), so whether it boots was not checked.",
                                 catalogueID: "not-verified"))
        case .success, .skipped:
            break
        }
        return out
    }

    /// "460800 failed on this adapter, 230400 worked", from the baud ladder.
    static func baudAdvice(_ attempts: [BaudAttempt]) -> [RunAdvice] {
        let failed = attempts.filter { $0.outcome != "ok" }
        guard !failed.isEmpty else { return [] }
        var rates: [Int] = []
        for a in failed where !rates.contains(a.baud) { rates.append(a.baud) }
        let failedText = rates.map(String.init).joined(separator: " and ")
        let id = failed.first(where: { $0.errorID != nil })?.errorID?.rawValue ?? Catalogue.noisyLink
        let detail = failed.compactMap(\.detail).first.map { " (\($0))" } ?? ""
        if let worked = attempts.last(where: { $0.outcome == "ok" }) {
            return [RunAdvice(text: "\(failedText) baud failed on this adapter\(detail), \(worked.baud) worked: the commands below use \(worked.baud).",
                              catalogueID: id)]
        }
        return [RunAdvice(text: "Every baud rate tried failed on this adapter: \(failedText)\(detail).", catalogueID: id)]
    }
}
