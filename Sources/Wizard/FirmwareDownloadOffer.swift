import FlashEngine

/// What the wizard needs to fetch the right MicroPython build itself: the CLI injects the
/// downloader (the Wizard module knows no HTTP), the wizard offers it at the firmware step.
public struct FirmwareDownloadOffer {
    /// A checked build on disk, ready to flash.
    public struct Downloaded {
        /// The file to flash.
        public var path: String
        /// Lines to show: the build, why it was picked, its URL and SHA-256, cache notes.
        public var lines: [String]
        /// Adds where the firmware came from to the run record (and its docs) after the flash.
        public var note: (FlashOutcome) -> Void

        /// Creates a result.
        public init(path: String, lines: [String], note: @escaping (FlashOutcome) -> Void) {
            self.path = path
            self.lines = lines
            self.note = note
        }
    }

    /// Downloads and checks the build for a board with `flashSize` bytes of flash; `progress`
    /// gets bytes so far and the total when known. Throws an error whose description names the
    /// problem and the fix.
    public var fetch: (_ flashSize: Int, _ progress: @escaping @Sendable (Int, Int?) -> Void) throws -> Downloaded

    /// Creates an offer.
    public init(fetch: @escaping (Int, @escaping @Sendable (Int, Int?) -> Void) throws -> Downloaded) {
        self.fetch = fetch
    }

    /// The answer that picks the download at the firmware question.
    public static let answer = "download"
}
