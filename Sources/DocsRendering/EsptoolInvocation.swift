/// The esptool commands (as argument vectors) that reproduce a run's erase and write.
public struct EsptoolInvocation: Sendable, Equatable {
    /// The chip-erase command, present when the run erased the whole chip.
    public var erase: [String]?
    /// The write command.
    public var write: [String]
    /// The one-command install: the write with `--erase-all` when the run erased the whole chip
    /// (esptool erases and writes in one connection), else the same as `write`.
    public var oneCommand: [String]

    /// Builds the commands.
    ///
    /// - Parameters:
    ///   - port: the serial port to name.
    ///   - baud: the baud rate to use.
    ///   - eraseChip: include `erase-flash` first.
    ///   - flashMode: `qio`/`dio`/`dout`/`qout`, or nil/`keep` to leave the image's header as it is.
    ///   - flashSize: `1MB`, `4MB`, `detect`…, or nil/`keep`.
    ///   - flashFrequency: `40m`…, or nil/`keep`.
    ///   - offset: the flash offset (0 for MicroPython on the ESP8266).
    ///   - fileName: the firmware file.
    ///   - manualBoot: add `--before no-reset` (the board is put in the bootloader by hand).
    ///   - spelling: esptool v5 or v4 spelling.
    public init(port: String, baud: Int, eraseChip: Bool, flashMode: String?, flashSize: String?, flashFrequency: String?,
                offset: Int, fileName: String, manualBoot: Bool, spelling: EsptoolSpelling) {
        var common = [spelling.program, "--port", port, "--baud", String(baud)]
        if manualBoot { common += ["--before", spelling.noResetMode] }
        erase = eraseChip ? common + [spelling.eraseCommand] : nil
        var w = common + [spelling.writeCommand]
        if let m = flashMode, m != "keep", !m.isEmpty { w += [spelling.flashModeOption, m.lowercased()] }
        if let s = flashSize, s != "keep", !s.isEmpty { w += [spelling.flashSizeOption, s] }
        if let f = flashFrequency, f != "keep", !f.isEmpty { w += [spelling.flashFrequencyOption, f] }
        let tail = [EsptoolInvocation.offsetText(offset), fileName]
        write = w + tail
        // --erase-all goes right after the command name, before the header options.
        var one = common + [spelling.writeCommand]
        if eraseChip { one.append(spelling.eraseAllOption) }
        one += w.dropFirst(common.count + 1)
        oneCommand = one + tail
    }

    /// An offset as esptool reads it: `0`, or hexadecimal `0x1000`.
    public static func offsetText(_ offset: Int) -> String {
        offset == 0 ? "0" : "0x" + String(offset, radix: 16)
    }

    /// The two-step form (erase, then write) for esptool older than 2.6; only the write when the run kept the rest of the flash.
    public var twoSteps: [[String]] { all }

    /// The commands in order.
    public var all: [[String]] { (erase.map { [$0] } ?? []) + [write] }
}
