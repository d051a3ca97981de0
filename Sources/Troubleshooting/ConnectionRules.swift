extension ExplainRule {
    /// Reaching the bootloader and keeping the link: the sync, the baud change, the stub, the chip family.
    static let connectionRules: [ExplainRule] = [
        .phrases("manual-boot-needed", 90, ["wrong boot mode detected", "needs to be in download mode"]),
        ExplainRule("manual-boot-needed", 70, "an earlier command worked and reset the board, the next one never reached the bootloader") { facts in
            guard let ended = facts.run.sessionEnded, let answered = facts.run.chipAnswered, answered < ended,
                  let failure = facts.run.failure, failure > ended,
                  facts.text.firstLine(containing: "chip is ", from: ended) == nil,
                  facts.text.firstLine(containing: "connecting", from: ended) != nil else { return nil }
            return "an earlier command reached the chip and ended with a reset; the next could not enter the bootloader, so the board has no working auto-reset"
        },
        ExplainRule("baud-too-high", 88, "a communication failure right after `Changing baud rate to N` (N > 115200)") { facts in
            guard facts.run.failedAfterRaisingRate, facts.failureIsCommunication, let rate = facts.run.changedBaud?.rate else { return nil }
            return "the run failed right after \"Changing baud rate to \(rate)\": the link does not work at that speed"
        },
        .phrases("baud-too-high", 85, ["error changing esp upload baud rate", "didn't get enough status bytes"]),
        ExplainRule("baud-too-high", 72, "the chip answered, then the run failed at a `--baud` above 115200") { facts in
            guard facts.run.changedBaud == nil, let rate = facts.run.requestedBaud, rate > 115_200,
                  facts.run.answeredBeforeFailure, facts.run.failure != nil, facts.failureIsCommunication else { return nil }
            return "the chip answered at 115200, then the transfer failed at the requested \(rate) baud"
        },
        .phrases("wrong-chip-image", 92, ["unexpected chip id in image", "invalid chip id", "bootloader for wrong chip",
                                          "image. use --force", "image. use the force argument"]),
        .phrases("wrong-chip", 90, ["this chip is esp", "wrong --chip argument", "wrong chip argument", "wrong chip id 0x"]),
        ExplainRule("wrong-chip", 50, "`Chip is ESP32…`, `Connected to ESP32…`, or an ESP32 ROM boot log") { facts in
            if let name = facts.run.chipName, name.hasPrefix("esp32") { return "the chip that answered is an \(name.uppercased()), not an ESP8266" }
            return facts.boot.esp32Lines.isEmpty ? nil : "the boot log is an ESP32-family ROM's (rst:0x…, boot:0x…), not an ESP8266's"
        },
        .phrases("stub-failed", 75, ["failed to start stub flasher", "failed to connect to the flasher", "failed to ping the running flasher stub"]),
        .phrases("flash-write-failed", 70, ["failed to write to target flash", "failed to write to target ram", "failed to write compressed data",
                                            "result was 0107", "result was c100"]),
        .phrases("baud-change-unsupported", 70, ["doesn't support changing baud rate"]),
        .phrases("chip-stopped-responding", 80, ["the chip stopped responding"]),
        .phrases("noisy-link", 55, ["invalid head of packet", "possible serial noise", "corrupt data, expected", "timed out waiting for packet content",
                                    "packet content transfer stopped", "instead of c0"]),
        ExplainRule("no-bootloader-answer", 40, "`Failed to connect to ESP8266`, `Timed out waiting for packet header`, `No serial data received`, `espcomm_sync failed`") { facts in
            guard !facts.run.answeredBeforeFailure else { return nil }
            return facts.any(["no serial data received", "timed out waiting for packet header", "failed to connect to esp",
                              "failed to connect to espressif", "exception: failed to connect", "espcomm_sync failed",
                              "espcomm_open failed", "failed to connect", "serial port connect failed", "failed to enter flash download mode"])
                .map { "the text says \"\($0)\" and the chip never answered" }
        },
        ExplainRule("chip-stopped-responding", 45, "the chip answered at first, then a reply timed out") { facts in
            guard facts.run.answeredBeforeFailure, facts.any(["timed out waiting for packet header", "no serial data received"]) != nil else { return nil }
            return "the chip answered first, then stopped replying"
        },
        .phrases("interrupted", 60, ["keyboardinterrupt"]),
        .phrases("no-bootloader-answer", 50, ["holding the boot button"]),
        .phrases("repl-no-answer", 60, ["device is busy or does not respond"]),
        .phrases("firmware-crash", 70, ["guru meditation error"]),
        ExplainRule("check-fw-failed", 80, "`esp.check_fw()` printing `False`") { facts in
            facts.has("check_fw") && facts.text.lines.contains(where: { $0.trimmingSpaces == "false" }) ? "esp.check_fw() printed False" : nil
        },
    ]
}

extension PasteFacts {
    /// The failure (from its line to the end) is a communication problem, not a refusal such as a wrong image.
    var failureIsCommunication: Bool {
        guard let failure = run.failure else { return false }
        return text.lines[failure...].contains { line in
            ["timed out", "no serial data", "invalid head", "packet", "failed to write", "stopped", "write timeout",
             "serial", "status bytes", "respond", "failed to connect", "md5 of file"].contains { line.contains($0) }
        }
    }
}

extension String {
    /// The string without spaces, tabs and line ends at either end.
    var trimmingSpaces: String { Substring(self).trimmingCharacters(from: " \t\r\n") }
}
