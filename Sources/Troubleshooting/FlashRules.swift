extension ExplainRule {
    /// What was written: sizes against the flash, MD5s against the file and against erased flash.
    static let flashRules: [ExplainRule] = [
        .phrases("firmware-too-large", 95, ["will not fit in"]),
        ExplainRule("firmware-too-large", 90, "a write of more than 16 MiB, the largest ESP8266 flash") { facts in
            guard let length = facts.run.writeLength, length > 16 << 20 else { return nil }
            return "the tool was writing \(length) bytes, more than any ESP8266 flash holds"
        },
        ExplainRule("firmware-too-large", 88, "a write longer than the detected flash size") { facts in
            guard let length = facts.run.writeLength, let size = facts.run.detectedFlashSize, length > size else { return nil }
            return "\(length) bytes were written to a flash of \(size) bytes"
        },
        ExplainRule("firmware-not-found", 90, "`No such file or directory: '….bin'`, `File '….bin' does not exist`") { facts in
            guard facts.has(".bin"), facts.any(["no such file or directory: '", "does not exist"]) != nil,
                  facts.text.lines.contains(where: { $0.contains(".bin'") && ($0.contains("no such file") || $0.contains("does not exist")) })
            else { return nil }
            return "the firmware file named on the command line does not exist"
        },
        .phrases("flash-empty-after-write", 95, ["written flash region is empty"]),
        ExplainRule("flash-empty-after-write", 96, "a `Flash md5` equal to the MD5 of erased (0xFF) bytes") { facts in
            guard let flash = facts.run.flashMD5, flash != facts.run.fileMD5 else { return nil }
            if flash == facts.run.erasedMD5 { return "the flash MD5 equals the MD5 of erased bytes: nothing was written" }
            if let length = facts.run.writeLength, ErasedFlashMD5.hex(length: length) == flash {
                return "the flash MD5 equals the MD5 of \(length) erased bytes: nothing was written"
            }
            return nil
        },
        ExplainRule("md5-mismatch", 70, "`MD5 of file does not match data in flash`, or differing File/Flash md5 lines") { facts in
            if facts.has("md5 of file does not match") { return "the text says \"MD5 of file does not match data in flash\"" }
            guard let file = facts.run.fileMD5, let flash = facts.run.flashMD5, file != flash else { return nil }
            return "File md5 \(file) differs from Flash md5 \(flash)"
        },
        .phrases("flash-not-detected", 72, ["manufacturer: ff", "device: ffff", "manufacturer: 00", "device: 0000", "flashid=0xffffff",
                                            "detected flash size: unknown", "unknown flash size"]),
        .phrases("flash-not-detected", 75, ["failed to communicate with the flash chip"]),
        .phrases("flash-not-detected", 50, ["could not auto-detect flash size"]),
    ]
}
