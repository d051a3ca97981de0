import ESPLoader
import ESPProtocol
import FirmwareImage
import Foundation
import PortDiscovery
import RunRecord
import SerialTransport
import Troubleshooting

/// The firmware file: checked before the board is touched, and again against its flash.
extension FlashSession {
    func checkFirmware() throws -> FirmwareVerdict {
        let verdict = FirmwareCheck().check(fileAt: options.firmwarePath)
        if !verdict.bytes.isEmpty || verdict.errors.isEmpty {
            record.firmware = FirmwareRecord(
                fileName: URL(fileURLWithPath: options.firmwarePath).lastPathComponent, path: options.firmwarePath,
                sizeBytes: verdict.size, sha256: verdict.sha256Hex,
                kind: verdict.banner.map { $0.flavor == .circuitpython ? "circuitpython" : "micropython" } ?? "other",
                version: verdict.banner?.versionTag, variant: verdict.banner?.variant.map { "\($0.rawValue)" },
                banner: verdict.banner?.text, headerFlashMode: verdict.image?.flashMode?.rawValue)
        }
        if let error = verdict.errors.first { throw SessionFailure.firmware(error) }
        image = verdict.bytes
        headerMode = verdict.image?.flashMode
        for warning in verdict.warnings { warn(warning) }
        observer.handle(.stepDone(name: "check-firmware",
                                  detail: "\(record.firmware?.fileName ?? ""): \(verdict.size) bytes, \(verdict.banner?.text ?? "no MicroPython banner found")"))
        return verdict
    }

    /// Tells the person when the firmware file changed on disk while espwiz ran. The file is read
    /// once, before anything touches the board; everything after (erase, write, MD5, records,
    /// docs) uses those checked bytes, so the board and the record describe them, not the file now.
    func warnIfFirmwareChanged() {
        guard !image.isEmpty else { return }
        let now = try? Data(contentsOf: URL(fileURLWithPath: options.firmwarePath))
        if let now, now.elementsEqual(image) { return }
        let state = now.map { "it now has \($0.count) bytes" } ?? "it is gone"
        observer.handle(.warning("\(options.firmwarePath) changed while espwiz ran (\(state)). espwiz used the \(image.count) bytes it checked at the start (SHA-256 \(record.firmware?.sha256 ?? "?")); the board and the run record describe that version, not the file as it is now."))
    }

    /// Shows a firmware warning and keeps it in the record.
    func warn(_ warning: FirmwareWarning) {
        observer.handle(.warning(warning.description))
        record.warnings = (record.warnings ?? []) + [WarningRecord(id: warning.catalogueID, message: warning.description)]
    }

    func checkAgainstBoard(_ verdict: FirmwareVerdict, info: BoardInfo) throws {
        guard let flashSize = info.flashSize else { return }
        try step("check-fit", "Checking the firmware fits this board",
                 "Now that the flash size is known, the file is checked against it before anything is erased.") {
            let again = FirmwareCheck(flashSize: flashSize).check(bytes: image, path: options.firmwarePath)
            if let error = again.errors.first { throw SessionFailure.firmware(error) }
            for warning in again.warnings where !verdict.warnings.contains(warning) { warn(warning) }
            observer.handle(.stepDone(name: "check-fit", detail: "\(image.count) bytes fit in \(SizeText.format(flashSize)) of flash"))
        }
    }
}
