import ESPProtocol

/// The ESP8266 mask ROM's part of a boot: the boot log and the check of the image at flash offset 0.
///
/// Pure: it reads flash through `FlashAccess`, writes nothing, keeps no clock. Output is at the boot-log
/// baud (115200 × crystal / 40, i.e. 74880 with a 26 MHz crystal).
///
/// Modelled behaviour (from field boot logs; the ROM itself was not disassembled):
/// - banner ` ets Jan  8 2013,rst cause:N, boot mode:(x,y)`, plus `wdt reset` after a watchdog reset;
/// - GPIO0 low → banner only, then the serial loader (`downloadMode`);
/// - per segment `load …, len …, room …` / `tail …` / `chksum …` (running XOR from 0xEF), `ho … tail … room …`
///   when fewer than 8 bytes are left in the 16-byte read buffer, then `csum …`;
/// - checksum mismatch → `csum err` and `ets_main.c`, then the ROM stops;
/// - UNCONFIRMED: byte 0 not 0xE9 (erased flash) → banner then `ets_main.c` and the ROM stops silently
///   (a field report says a freshly erased chip prints "a message ending with ets_main.c"; whether the
///   real ROM also prints a `load 0xffffffff, len -1` line first is not known). A segment header that reads as a
///   negative or absurd length (half-written image) prints its `load` line and the ROM hangs there;
/// - UNCONFIRMED: header flash mode the board cannot read (e.g. QIO on a DOUT-only flash) → the ROM's own
///   loading succeeds (it reads in a safe mode), the firmware then crashes and the hardware watchdog resets
///   the chip: a boot loop of banners with `rst cause:4`.
public struct ROMBoot: Sendable, Equatable {
    /// Flash modes the board's flash chip and wiring can do (NodeMCU: all; ESP-01 with Puya flash and ESP8285: DOUT only).
    public var supportedFlashModes: Set<FlashMode>
    /// Crystal frequency in MHz (26 on almost every module).
    public var crystalMHz: Int

    /// Largest segment length the ROM is modelled to load; longer ones count as unreadable.
    static let maximumSegmentLength = 0x10_0000

    /// Seconds between two rounds of a watchdog boot loop (UNCONFIRMED; the ESP8266 hardware watchdog
    /// fires after roughly 1.6 s without feeding).
    public static let watchdogCycleSeconds = 1.6

    /// Creates a ROM model for one board.
    public init(supportedFlashModes: Set<FlashMode> = Set(FlashMode.allCases), crystalMHz: Int = 26) {
        self.supportedFlashModes = supportedFlashModes
        self.crystalMHz = crystalMHz
    }

    /// The baud rate of the boot log (74880 for 26 MHz).
    public var logBaud: Int { Crystal.bootLogBaud(crystalMHz: crystalMHz) }

    /// Runs the ROM after a reset with the given cause and strapping.
    public func boot(flash: FlashAccess, cause: ResetCause, strapping: BootStrapping) -> ROMBootResult {
        var text = ROMBootLog.banner(cause: cause, strapping: strapping)
        if cause == .hardwareWatchdog { text += ROMBootLog.watchdogReset }
        let outcome: ROMBootOutcome
        switch strapping.path {
        case .uartDownload:
            outcome = .downloadMode
        case .sdio:
            text += ROMBootLog.waitingForHost
            outcome = .halted(.sdioBoot)
        case .unusable:
            outcome = .halted(.unusableBootMode(x: strapping.x))
        case .flash:
            let load = loadImage(flash)
            text += load.log
            switch load.result {
            case .failure(let error):
                outcome = .halted(error.reason)
            case .success(let image):
                if let mode = image.flashMode, !supportedFlashModes.contains(mode) {
                    outcome = .bootLoop(.flashModeUnsupported(mode))
                } else {
                    outcome = .runFirmware(image)
                }
            }
        }
        return ROMBootResult(outcome: outcome, chunks: [SerialChunk(baud: logBaud, text: text)])
    }

    /// The next round of a boot loop: a boot after a hardware watchdog reset (flash is read again, so a
    /// re-flashed image ends the loop).
    public func nextCycle(flash: FlashAccess, strapping: BootStrapping) -> ROMBootResult {
        boot(flash: flash, cause: .hardwareWatchdog, strapping: strapping)
    }

    /// Reads and checks the image at offset 0, producing the per-segment log lines.
    func loadImage(_ flash: FlashAccess) -> (log: String, result: Result<BootedImage, ROMHaltError>) {
        let header = flash.read(0, 8)
        guard header.count == 8, header[0] == 0xE9 else {
            return (ROMBootLog.romStopped, .failure(ROMHaltError(.noImage(firstByte: header.first ?? 0xFF))))
        }
        let count = Int(header[1])
        var log = ""
        var checksum = ESPChecksum.seed
        var segments: [BootedImage.Segment] = []
        var position = 8
        for index in 0..<count {
            let address = flash.u32(at: position)
            let length = Int32(bitPattern: flash.u32(at: position + 4))
            let dataStart = position + 8
            // The ROM reads flash through a 16-byte buffer: `room` is what is left in it for this segment.
            let room = index == 0 ? 16 : (16 - dataStart % 16) % 16
            log += ROMBootLog.load(address: address, length: length, room: room)
            guard length >= 0, Int(length) <= Self.maximumSegmentLength else {
                return (log, .failure(ROMHaltError(.unreadableSegment(index: index, address: address, length: length))))
            }
            let len = Int(length)
            checksum = ESPChecksum.compute(flash.read(dataStart, len), initial: checksum)
            let tail: Int
            let roomAfter: Int
            let tailRefilled: Bool
            if len >= room {
                tail = (len - room) % 16
                roomAfter = tail > 0 ? 16 - tail : 0
                tailRefilled = true
            } else {
                tail = 0
                roomAfter = room - len
                tailRefilled = false
            }
            log += ROMBootLog.segmentEnd(tail: tail, checksum: checksum)
            if index < count - 1, roomAfter > 0, roomAfter < 8 {
                let offset = tailRefilled && tail > 0 ? 0 : 16 - roomAfter
                log += ROMBootLog.headerSplit(offset: offset, tail: tail, room: roomAfter)
            }
            segments.append(BootedImage.Segment(address: address, length: len))
            position = dataStart + len
        }
        // The checksum byte sits where (offset + 1) is a multiple of 16.
        let stored = flash.byte(at: position | 0xF)
        log += ROMBootLog.finalChecksum(checksum)
        guard stored == checksum else {
            log += ROMBootLog.checksumError + ROMBootLog.romStopped
            return (log, .failure(ROMHaltError(.checksumMismatch(computed: checksum, stored: stored))))
        }
        let image = BootedImage(
            entryPoint: LittleEndian.u32(header, at: 4),
            flashMode: FlashMode(headerValue: header[2]),
            flashSize: FlashSize(headerNibble: header[3] >> 4),
            flashFrequency: FlashFrequency(headerNibble: header[3] & 0x0F),
            segments: segments,
            checksum: checksum
        )
        return (log, .success(image))
    }
}

/// Wraps a halt reason so it can travel in a `Result`.
struct ROMHaltError: Error {
    let reason: ROMHaltReason
    init(_ reason: ROMHaltReason) { self.reason = reason }
}
