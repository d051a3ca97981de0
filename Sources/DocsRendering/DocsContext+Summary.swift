import RunRecord

extension DocsContext {
    /// The "This board" table: what the run measured about the board, adapter, file, settings and result.
    static func summaryRows(record: RunRecord, bridge: BridgeDriver?, port: String, portMeasured: Bool,
                            runHostName: String, options: DocsOptions) -> [Row] {
        let settings = record.settings
        var rows: [Row] = []
        let measured = "measured"
        if let b = record.board {
            let features = b.features.isEmpty ? "" : " (" + b.features.joined(separator: ", ") + ")"
            rows.append(Row(label: "Chip", mdValue: MarkdownText.escape(b.chip + features), mdSource: measured))
            rows.append(Row(label: "Crystal", mdValue: "\(b.crystalMHz) MHz", mdSource: measured))
            var flash: [String] = []
            if let size = b.flashSizeBytes { flash.append(DocsContext.sizeText(size)) }
            if let vendor = b.flashVendor { flash.append(vendor) }
            if let id = b.flashID { flash.append("JEDEC id " + id) }
            if !flash.isEmpty { rows.append(Row(label: "Flash chip", mdValue: MarkdownText.escape(flash.joined(separator: ", ")), mdSource: measured)) }
            if options.includeDeviceIDs, let mac = b.mac {
                rows.append(Row(label: "MAC address", mdValue: MarkdownText.code(mac), mdSource: measured))
            }
            let entry = b.bootloaderEntry == "manual" ? "by hand (FLASH/GPIO0 + RESET)"
                : b.bootloaderEntry == "no-reset" ? "already in the bootloader (espwiz ran with --no-reset)"
                : b.autoResetWorked ? "automatic (" + b.bootloaderEntry.rawValue + ")" : b.bootloaderEntry.rawValue
            rows.append(Row(label: "Bootloader entry", mdValue: MarkdownText.escape(entry), mdSource: measured))
        }
        if let p = record.port {
            if p.simulated {
                rows.append(Row(label: "USB-serial adapter", mdValue: "espwiz simulated board" + (p.simulatorProfile.map { " (" + MarkdownText.escape($0) + ")" } ?? ""), mdSource: measured))
            } else {
                var parts: [String] = []
                if let product = p.product { parts.append(product) }
                if let b = bridge { parts.append(b.chipName) } else if let name = p.bridge { parts.append(name) }
                if let vid = p.vid, let pid = p.pid { parts.append("USB id " + vid + ":" + pid) }
                if !parts.isEmpty { rows.append(Row(label: "USB-serial adapter", mdValue: MarkdownText.escape(parts.joined(separator: ", ")), mdSource: measured)) }
                if options.includeDeviceIDs, let serial = p.serialNumber {
                    rows.append(Row(label: "Adapter serial number", mdValue: MarkdownText.code(serial), mdSource: measured))
                }
            }
            rows.append(Row(label: "Port", mdValue: MarkdownText.code(portMeasured ? p.path : port),
                            mdSource: portMeasured ? measured : "example (the run used " + MarkdownText.code(p.path) + " on " + MarkdownText.escape(runHostName) + ")"))
        }
        if let f = record.firmware {
            rows.append(Row(label: "Firmware file", mdValue: MarkdownText.code(f.fileName), mdSource: "\(f.sizeBytes) bytes"))
            var what: [String] = [f.kind]
            if let v = f.version { what.append(v) }
            if let v = f.variant { what.append("variant " + v) }
            rows.append(Row(label: "Firmware", mdValue: MarkdownText.escape(what.joined(separator: ", ")), mdSource: "read from the file"))
            rows.append(Row(label: "SHA-256", mdValue: MarkdownText.code(f.sha256), mdSource: "of the file"))
            if let source = f.source {
                rows.append(Row(label: "Downloaded from", mdValue: MarkdownText.code(source.url), mdSource: MarkdownText.escape(source.reason)))
            }
        }
        if let s = settings {
            let baudSource = s.baud == s.recommendedBaud ? measured + ": " + MarkdownText.escape(s.baudReason)
                : measured + " (" + String(s.recommendedBaud) + " was recommended: " + MarkdownText.escape(s.baudReason) + ")"
            rows.append(Row(label: "Baud rate", mdValue: String(s.baud), mdSource: baudSource))
            rows.append(Row(label: "Flash mode", mdValue: MarkdownText.escape(s.flashMode), mdSource: record.flashModeChanges.isEmpty ? "used" : "after a boot failure"))
            rows.append(Row(label: "Flash size", mdValue: MarkdownText.escape(s.flashSize), mdSource: "used"))
            let erase = s.erase == "chip" ? "whole chip"
                : s.erase == "clean" ? "what held data (blank-aware: the stub scanned the flash; same result as a whole-chip erase, esptool --erase-all)"
                : "only the written region"
            rows.append(Row(label: "Erase", mdValue: MarkdownText.escape(erase), mdSource: "used"))
        }
        if let backup = record.backup {
            rows.append(Row(label: "Backup before the erase", mdValue: MarkdownText.code(backup.path),
                            mdSource: MarkdownText.escape((backup.firmware.map { $0 + "; " } ?? "") + "put it back with ") + MarkdownText.code("espwiz restore FILE")
                                + " or " + MarkdownText.code("esptool write-flash 0 FILE")))
        }
        if let v = record.verification {
            if let banner = v.banner { rows.append(Row(label: (v.firmware?.displayName.capitalizedFirst ?? "MicroPython") + " banner", mdValue: MarkdownText.code(banner), mdSource: measured)) }
            rows.append(Row(label: "esp.check_fw()", mdValue: v.checkFirmwarePassed ? "True" : "not True", mdSource: measured))
        }
        let resultText: String
        switch record.result {
        case .success: resultText = "success"
        case .failed: resultText = "failed" + (record.error.map { " (" + $0.id.rawValue + ")" } ?? "")
        case .interrupted: resultText = "interrupted"
        case .inProgress: resultText = "did not finish"
        case .skipped: resultText = "skipped (board already flashed)"
        case .written: resultText = "written, MD5 checked, boot not checked (--no-verify)"
        }
        rows.append(Row(label: "Result", mdValue: MarkdownText.escape(resultText), mdSource: "espwiz " + MarkdownText.escape(record.command)))
        return rows
    }
}

private extension String {
    /// "unknown firmware" → "Unknown firmware" for a table label.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
