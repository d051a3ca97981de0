import ESPLoader
import ESPProtocol
import Foundation
import StubImage

/// Backs up a board's flash through espwiz's stub: a sparse read (only non-blank sectors go over
/// the wire; `LoaderClient.readSparse`), checked against the stub's MD5 of the whole range, then
/// the plain image and its sidecar written by `BackupFileWriter`.
///
/// This is the function `espwiz backup`, `espwiz flash --backup` and the wizard's backup offer
/// call on a connected client.
public struct BackupRunner {
    /// The connected client (ROM or stub; `backup` starts espwiz's stub when the ROM answers).
    public let client: LoaderClient

    /// A runner over `client`.
    public init(client: LoaderClient) { self.client = client }

    /// What a finished backup produced.
    public struct Result: Sendable {
        /// The image file.
        public var imagePath: String
        /// The sidecar beside it.
        public var sidecarPath: String
        /// What the sidecar says.
        public var sidecar: BackupSidecar
        /// Flash bytes that went over the wire.
        public var bytesSent: Int
        /// The blank map the read used: a flash that follows can plan its erase from it
        /// (`CleanFlashPlan(imageRange:blankMap:flashSize:)`) without scanning again.
        public var blankMap: BlankMap
    }

    /// Uploads espwiz's stub when the ROM loader is answering (the ROM cannot read flash).
    public func ensureStub() throws(LoaderError) {
        guard client.loaderKind == .rom else { return }
        try client.startStub(firstStage: StubImage.segments.map { RAMSegment(address: $0.address, data: $0.bytes) },
                             entry: StubImage.entry,
                             secondStage: StubImage.stage2Segments.map { RAMSegment(address: $0.address, data: $0.bytes) })
    }

    /// Reads `range` (default: the whole flash of `board`) and writes it to `path` with its sidecar.
    /// - Throws: `LoaderError` from the board (nothing is written then), `BackupError` from the file.
    public func backup(board: BoardInfo, range: Range<Int>? = nil, to path: String, writer: BackupFileWriter = BackupFileWriter(),
                       date: Date = Date(), espwizVersion: String? = nil,
                       progress: (FlashProgress) -> Void = { _ in }) throws -> Result {
        guard let flashSize = board.flashSize ?? board.embeddedFlashSize else {
            throw LoaderError.invalidArgument("The flash size is unknown (JEDEC id 0x\(String(board.jedecID, radix: 16))): give the range to back up (--range 0 SIZE).")
        }
        let range = range ?? 0..<flashSize
        try ensureStub()
        let read = try client.readSparse(range: range, progress: progress)
        let sidecar = BackupSidecar(
            imageFile: URL(fileURLWithPath: path).lastPathComponent, chip: board.chipName, mac: board.macAddress,
            flashID: "0x" + String(board.jedecID, radix: 16), flashSize: flashSize, offset: range.lowerBound, size: range.count,
            createdAt: date, md5: Hex.string(read.md5),
            firmware: range.lowerBound == 0 ? InstalledFirmware(flash: read.bytes) : nil,
            dirtySectors: read.blankMap.dirtySectorCount, totalSectors: read.blankMap.dirty.count,
            blankMapSource: read.blankMap.source.rawValue, rereadOffsets: read.rereadRanges.map(\.lowerBound),
            espwizVersion: espwizVersion)
        try writer.write(image: read.bytes, sidecar: sidecar, to: path, expectedMD5: read.md5)
        return Result(imagePath: path, sidecarPath: BackupSidecar.path(forImage: path), sidecar: sidecar, bytesSent: read.bytesSent,
                      blankMap: read.blankMap)
    }
}
