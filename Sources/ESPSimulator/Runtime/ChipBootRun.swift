import ESPProtocol

/// One complete boot of the simulated chip: the mask ROM, then, when it hands over, the firmware's start.
public struct ChipBootRun {
    /// The ROM's part (outcome and its 74880-baud log).
    public var rom: ROMBootResult
    /// The running REPL when the ROM ran a MicroPython or CircuitPython image; nil for download mode, halts,
    /// boot loops and apps the simulator cannot emulate (those print nothing after the ROM log).
    public var console: MicroPythonConsole?
    /// All output in order: ROM log, then the firmware's start (init-data note at the ROM baud, REPL at 115200).
    public var chunks: [SerialChunk]
}

extension ROMBoot {
    /// Resets the chip: runs the ROM and, if it hands over, detects and starts the firmware.
    /// After `ConsoleAction.reboot` (machine.reset()), call this again with the previous hardware reset cause.
    public func bootChip(flash: FlashAccess, cause: ResetCause, strapping: BootStrapping, flashID: JEDECID = JEDECID(raw: 0x16_40EF)) -> ChipBootRun {
        let rom = boot(flash: flash, cause: cause, strapping: strapping)
        var chunks = rom.chunks
        var console: MicroPythonConsole?
        if case .runFirmware = rom.outcome, let identity = FirmwareIdentity.detect(in: flash) {
            var started = MicroPythonConsole(flash: flash, identity: identity, flashID: flashID, romBaud: logBaud)
            for chunk in started.start() { chunks.append(baud: chunk.baud, bytes: chunk.bytes) }
            console = started
        }
        return ChipBootRun(rom: rom, console: console, chunks: chunks)
    }
}
