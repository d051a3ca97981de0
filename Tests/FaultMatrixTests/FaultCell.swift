#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import FlashEngine

/// When, during a flash run, a fault is injected (seen from the session's events).
enum FaultPhase: String, CaseIterable, Sendable {
    /// Before the first SYNC (the `connect` step starts).
    case sync
    /// After the bootloader answered, before the chip is identified.
    case probe
    /// When the whole-chip erase starts.
    case erase
    /// When writing starts (FLASH_BEGIN and the first block).
    case writeStart = "write-start"
    /// After half the blocks were written.
    case writeMiddle = "write-middle"
    /// Before the last block.
    case writeLast = "write-last"
    /// When verification starts (the reset into the new firmware).
    case boot
    /// After the boot log, before MicroPython's prompt and `esp.check_fw()`.
    case repl

    /// The exit code a failure caused at this phase should carry.
    var failureExitCode: EspwizExitCode {
        switch self {
        case .sync, .probe: .boardNotFound
        case .erase, .writeStart, .writeMiddle, .writeLast: .flashFailed
        case .boot, .repl: .verifyFailed
        }
    }

    /// True when the board's flash may already have been changed when the fault hits.
    var afterEraseStarted: Bool { ![.sync, .probe].contains(self) }
}

/// A fault the simulator (or the test, for signals) injects.
enum Fault: Sendable, Equatable, CustomStringConvertible {
    /// USB cable pulled: the pty closes, reads and writes fail with EIO.
    case unplug
    /// Bit errors: each byte replaced with this probability, both directions.
    case noise(Double)
    /// Bytes lost with this probability.
    case drop(Double)
    /// Bytes arriving twice with this probability.
    case duplicate(Double)
    /// The chip resets (brown-out, RESET pressed) and boots its flash.
    case chipReset
    /// The chip stops reading and answering.
    case stall
    /// Junk bytes in front of every burst the chip sends.
    case garbage(Int)
    /// GPIO0 can no longer be pulled low: the chip boots its (old) firmware instead of the bootloader.
    case bootsOldFirmware
    /// A stop request as Ctrl-C (SIGINT) or SIGTERM would give (the handler's flag).
    case signal(Int32)

    var description: String {
        switch self {
        case .unplug: "unplugged (EIO)"
        case .noise(let r): "bit errors \(r)"
        case .drop(let r): "dropped bytes \(r)"
        case .duplicate(let r): "duplicated bytes \(r)"
        case .chipReset: "chip reset"
        case .stall: "chip stalls"
        case .garbage(let n): "garbage before frames (\(n) B)"
        case .bootsOldFirmware: "boots old firmware"
        case .signal(let s): s == SIGINT ? "SIGINT (Ctrl-C)" : "SIGTERM"
        }
    }

    /// Every fault of the matrix, in table order.
    static let all: [Fault] = [
        .unplug, .noise(0.0005), .noise(0.01), .noise(0.2), .drop(0.005), .duplicate(0.005), .chipReset, .stall,
        .garbage(24), .bootsOldFirmware, .signal(SIGINT), .signal(SIGTERM),
    ]

    /// Catalogue ids a failed run may end with for this fault.
    var acceptableErrors: Set<String> {
        switch self {
        case .unplug: ["link-lost", "port-not-found"]  // before the port is opened it is simply gone
        case .signal: ["interrupted"]
        case .noise, .drop, .duplicate, .garbage:
            ["noisy-link", "chip-stopped-responding", "no-bootloader-answer", "manual-boot-needed", "flash-write-failed",
             "repl-no-answer", "check-fw-failed", "md5-mismatch", "boot-checksum-error", "flash-mode-bootloop",
             // A READ_REG reply damaged on the way reads as a missing flash chip (see docs/fault-matrix.md).
             "flash-not-detected"]
        case .chipReset, .bootsOldFirmware, .stall:
            ["chip-stopped-responding", "no-bootloader-answer", "manual-boot-needed", "noisy-link", "flash-write-failed",
             "repl-no-answer", "check-fw-failed", "boot-checksum-error", "flash-mode-bootloop"]
        }
    }
}

/// One cell of the matrix: a fault at a phase, flashing through the ROM loader or espwiz's stub.
struct FaultCell: Sendable, CustomStringConvertible {
    var fault: Fault
    var phase: FaultPhase
    /// True to flash through espwiz's flasher stub (the default of `espwiz flash`: 16 KiB
    /// compressed blocks, MD5 check); false for the ROM loader's 1 KiB blocks (`--no-stub`).
    var stub: Bool = false

    /// "ROM" or "stub".
    var loader: String { stub ? "stub" : "ROM" }

    var description: String { "\(fault) @ \(phase.rawValue) via \(loader)" }

    /// Every cell: every fault at every phase, through the ROM loader and through the stub.
    static let all: [FaultCell] = [false, true].flatMap { stub in
        Fault.all.flatMap { f in FaultPhase.allCases.map { FaultCell(fault: f, phase: $0, stub: stub) } }
    }

    /// One ROM cell per fault covering every phase, and the stub's riskiest moments (a fault in
    /// the middle of its compressed write), for the regular test run (the full matrix takes about
    /// 20 minutes; `scripts/fault-matrix.sh` runs it).
    static let quick: [FaultCell] = [
        FaultCell(fault: .unplug, phase: .writeMiddle),
        FaultCell(fault: .noise(0.0005), phase: .writeStart),
        FaultCell(fault: .noise(0.01), phase: .sync),
        FaultCell(fault: .noise(0.2), phase: .writeMiddle),
        FaultCell(fault: .drop(0.005), phase: .probe),
        FaultCell(fault: .duplicate(0.005), phase: .writeLast),
        FaultCell(fault: .chipReset, phase: .writeMiddle),
        FaultCell(fault: .stall, phase: .erase),
        FaultCell(fault: .garbage(24), phase: .sync),
        FaultCell(fault: .bootsOldFirmware, phase: .sync),
        FaultCell(fault: .signal(SIGINT), phase: .writeMiddle),
        FaultCell(fault: .signal(SIGTERM), phase: .repl),
        FaultCell(fault: .stall, phase: .boot),
        FaultCell(fault: .unplug, phase: .writeMiddle, stub: true),
        FaultCell(fault: .noise(0.01), phase: .writeMiddle, stub: true),
        FaultCell(fault: .stall, phase: .writeMiddle, stub: true),
        FaultCell(fault: .chipReset, phase: .writeMiddle, stub: true),
        FaultCell(fault: .signal(SIGINT), phase: .writeMiddle, stub: true),
    ]
}
