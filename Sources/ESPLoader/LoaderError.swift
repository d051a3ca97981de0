import ESPProtocol
import SerialTransport

/// Everything that can go wrong talking to the ESP8266 loader, explained with the fix.
///
/// `description` is the user-facing explanation; `catalogueID` names the matching entry in the
/// troubleshooting catalogue (serial-port failures pass their own ids through).
public indirect enum LoaderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No SYNC reply after every connection attempt. `noiseSeen` holds what arrived instead,
    /// `corruptFrames` counts damaged frames, `couldReset` is false when the port has no DTR/RTS.
    case noBootloaderAnswer(noiseSeen: NoiseSample, corruptFrames: Int = 0, couldReset: Bool = true, attempts: Int = 0)
    /// The serial port failed (unplugged, busy, …).
    case serial(SerialError)
    /// The chip did not answer a command in time.
    case timedOut(Opcode, after: Duration)
    /// Many frames arrived, none answering the command.
    case unexpectedResponses(Opcode, skipped: Int)
    /// A reply could not be understood.
    case malformedResponse(Opcode, String)
    /// The loader answered the command with a failure status.
    case commandFailed(Opcode, LoaderFailure, loader: LoaderKind)
    /// The chip is not an ESP8266; `knownAs` names it when its magic value is known.
    case wrongChip(magic: UInt32, knownAs: String?)
    /// The flash chip did not answer its JEDEC id (all ones or all zeros).
    case flashNotDetected(jedecID: UInt32)
    /// The SPI controller never finished the flash command.
    case spiCommandTimedOut
    /// One flash block failed every attempt; `lastError` says why the last attempt failed.
    case blockWriteFailed(block: Int, blockCount: Int, attempts: Int, lastError: LoaderError)
    /// A RAM stub did not start (no `OHAI` greeting) or misbehaved.
    case stubFailed(String)
    /// The flash content's MD5 differs from the data sent.
    case md5Mismatch(offset: UInt32, size: Int, expected: String, actual: String)
    /// The ROM loader cannot change baud rate (only a stub can).
    case baudChangeUnsupported(requested: Int)
    /// The operation needs a RAM stub; the ROM loader does not implement it.
    case requiresStub(Opcode)
    /// zlib could not compress the data.
    case compressionFailed(code: Int32)
    /// The caller asked for something impossible (empty image, unaligned region, …).
    case invalidArgument(String)

    /// The id of the matching troubleshooting-catalogue entry.
    public var catalogueID: String {
        switch self {
        case .noBootloaderAnswer(let noise, let corrupt, let couldReset, _):
            // Garbage dominated (damaged frames, or unreadable bytes): noisy-link. Silence on a
            // port without DTR/RTS: the board must be put into download mode by hand.
            if corrupt > 0 || (!noise.looksLikeText && noise.totalCount >= LoaderError.garbageThreshold) { "noisy-link" }
            else if !couldReset && noise.isEmpty { "manual-boot-needed" }
            else { "no-bootloader-answer" }
        case .serial(let e): e.catalogueID
        case .timedOut: "chip-stopped-responding"
        case .unexpectedResponses, .malformedResponse: "noisy-link"
        case .commandFailed(let op, let failure, let loader):
            if failure.isChecksumError { "noisy-link" }
            else if loader == .stub { "stub-failed" }
            else if LoaderError.flashOpcodes.contains(op) { "flash-write-failed" }
            else { "chip-stopped-responding" }
        case .wrongChip: "wrong-chip"
        case .flashNotDetected, .spiCommandTimedOut: "flash-not-detected"
        case .blockWriteFailed(_, _, _, let last):
            switch last {
            case .commandFailed(_, let f, _) where f.isChecksumError: "noisy-link"
            case .unexpectedResponses, .malformedResponse: "noisy-link"
            case .timedOut: "chip-stopped-responding"
            case .serial(let e): e.catalogueID
            default: "flash-write-failed"
            }
        case .stubFailed, .requiresStub: "stub-failed"
        case .md5Mismatch: "md5-mismatch"
        case .baudChangeUnsupported: "baud-change-unsupported"
        case .compressionFailed, .invalidArgument: "flash-write-failed"
        }
    }

    /// Unreadable noise bytes from which a failed connection counts as a noisy link.
    static let garbageThreshold = 32

    private static let flashOpcodes: Set<Opcode> = [.flashBegin, .flashData, .flashEnd, .flashDeflBegin, .flashDeflData, .flashDeflEnd]

    public var description: String {
        switch self {
        case .noBootloaderAnswer(let noise, let corrupt, let couldReset, let attempts):
            return LoaderError.describeNoAnswer(noise: noise, corruptFrames: corrupt, couldReset: couldReset, attempts: attempts)
        case .serial(let e):
            return e.description
        case .timedOut(let op, let after):
            return "The chip stopped responding: no reply to \(op) within \(LoaderError.seconds(after)). "
                + "Check that the board is still plugged in and powered (a weak USB port or cable can brown it out), "
                + "then put it back into download mode and try again."
        case .unexpectedResponses(let op, let skipped):
            return "The chip sent \(skipped) replies that do not answer \(op). The serial link is garbling data: "
                + "try a shorter or better USB cable, another USB port, or a lower baud rate."
        case .malformedResponse(let op, let why):
            return "The reply to \(op) was damaged (\(why)). The serial link is unreliable: "
                + "try a better USB cable, another USB port, or a lower baud rate."
        case .commandFailed(let op, let failure, let loader):
            let who = loader == .rom ? "The ESP8266 ROM loader" : "The flasher stub"
            if failure.isChecksumError {
                return "\(who) rejected \(op): \(failure). Data is being corrupted on the way; "
                    + "use a lower baud rate, a shorter USB cable or another USB port."
            }
            if failure.isUnsupported {
                return "\(who) does not support \(op) (\(failure))."
            }
            if LoaderError.flashOpcodes.contains(op) {
                return "\(who) could not write the flash (\(op): \(failure)). Power-cycle the board and try again; "
                    + "if it keeps failing, the flash chip may be worn out or the board's 3.3 V supply too weak."
            }
            return "\(who) rejected \(op): \(failure). Reset the board into download mode and try again."
        case .wrongChip(let magic, let name):
            let what = name.map { "an \($0)" } ?? "not an ESP8266 (chip magic \(Hex.format(magic, digits: 8)))"
            return "This board is \(what). espwiz flashes only ESP8266/ESP8285 boards; "
                + "use the matching MicroPython build and esptool for this chip, or pick the right serial port."
        case .flashNotDetected(let id):
            return "No flash chip answered (JEDEC id \(Hex.format(id, digits: 6))). The board's flash is missing, "
                + "dead or not wired (check GPIO6–11 on a bare module, and that GPIO15 is pulled low)."
        case .spiCommandTimedOut:
            return "The ESP8266's SPI controller never finished reading the flash id. The flash chip may be "
                + "missing or faulty; power-cycle the board and try again."
        case .blockWriteFailed(let block, let count, let attempts, let last):
            return "Writing flash block \(block + 1) of \(count) failed \(attempts) times. Last error: \(last)"
        case .stubFailed(let why):
            return "The flasher stub did not start: \(why). Reset the board into download mode and try again, "
                + "or flash without a stub (ROM only)."
        case .md5Mismatch(let offset, let size, let expected, let actual):
            return "Verification failed: flash at \(Hex.format(offset, digits: 8)) (\(size) bytes) has MD5 \(actual), "
                + "expected \(expected). Flash again; if it keeps failing, the flash chip or the power supply is faulty."
        case .baudChangeUnsupported(let baud):
            return "The ESP8266 ROM loader cannot change baud rate, so \(baud) baud is not possible without a stub. "
                + "Flash at 115200 baud (the ROM auto-detects the rate it is synced at) or use a stub."
        case .requiresStub(let op):
            return "\(op) needs a flasher stub; the ESP8266 ROM loader does not implement it."
        case .compressionFailed(let code):
            return "zlib could not compress the image (error \(code))."
        case .invalidArgument(let why):
            return why
        }
    }

    static func seconds(_ d: Duration) -> String {
        let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        if ms % 1000 == 0 { return "\(ms / 1000) s" }
        return "\(Double(ms) / 1000) s"
    }

    private static func describeNoAnswer(noise: NoiseSample, corruptFrames: Int, couldReset: Bool, attempts: Int) -> String {
        var lines: [String] = []
        let tries = attempts > 0 ? " after \(attempts) attempts" : ""
        lines.append("The ESP8266 bootloader did not answer\(tries).")
        if corruptFrames > 0 {
            lines.append("\(corruptFrames) damaged frames arrived: something answers but the data is garbled. "
                + "Try a shorter or better USB cable, another USB port, or a lower baud rate.")
        }
        if noise.looksLikeText {
            lines.append("The board printed text instead (\"\(noise.excerpt(limit: 60))\"): it booted its firmware, "
                + "not the bootloader.")
        } else if !noise.isEmpty {
            lines.append("\(noise.totalCount) unreadable bytes arrived: most likely the board booted normally and this is its "
                + "boot log at another baud rate (74880 on most boards), or line noise.")
        } else {
            lines.append("Nothing at all came back from the board.")
        }
        lines.append("Likely causes and fixes:")
        if couldReset {
            lines.append("- The board is not in download mode. Hold the FLASH (GPIO0) button, tap RESET, release FLASH, then try again.")
        } else {
            lines.append("- This port cannot reset the board (no DTR/RTS lines), so it must already be in download mode: "
                + "hold the FLASH (GPIO0) button, tap RESET, release FLASH, then try again.")
        }
        lines.append("- Wrong port: run `espwiz ports` and pick the board's port.")
        if noise.isEmpty {
            lines.append("- TX and RX swapped (USB-serial adapter TX goes to the board's RX), or the board is not powered.")
        } else {
            lines.append("- TX and RX swapped on a bare module, or a loose ground wire.")
        }
        return lines.joined(separator: "\n")
    }
}
