import Crypto
import ESPProtocol

/// The simulated board as the REPL's modules see it: flash, firmware identity, flash id and layout.
/// Implements the few module functions the simulator emulates (`esp`, `os`, `machine`, `sys`, `gc`, `time`).
struct MicroPythonMachine {
    let flash: FlashAccess
    let identity: FirmwareIdentity
    let flashID: JEDECID
    let layout: FirmwareFlashLayout

    /// Modules whose functions the simulator runs.
    static let emulatedModules: Set<String> = ["esp", "os", "uos", "machine", "umachine", "gc", "sys", "time", "utime", "micropython"]

    /// Modules the real firmware has but the simulator does not emulate (import works, use raises NotImplementedError).
    static let otherKnownModules: Set<String> = [
        "network", "ubinascii", "binascii", "ujson", "json", "ucollections", "collections", "ustruct", "struct",
        "uerrno", "errno", "uhashlib", "hashlib", "uzlib", "zlib", "urandom", "random", "ure", "re", "uselect",
        "select", "usocket", "socket", "ussl", "ssl", "math", "array", "uio", "io", "uctypes", "uheapq", "heapq",
        "utimeq", "framebuf", "onewire", "webrepl", "webrepl_setup", "upip", "ntptime", "ds18x20", "dht",
        "neopixel", "apa102", "port_diag", "flashbdev", "inisetup", "btree", "lwip", "websocket", "builtins",
    ]

    /// Real attribute names per module (MicroPython v1.9.4 port sources) that the simulator does not emulate.
    static let otherKnownAttributes: [String: Set<String>] = [
        "esp": ["sleep_type", "deepsleep", "flash_read", "flash_write", "flash_erase", "freemem", "meminfo", "info",
                "malloc", "free", "esf_free_bufs", "set_native_code_location", "neopixel_write", "apa102_write", "dht_readinto"],
        "os": ["VfsFat", "chdir", "dupterm", "dupterm_notify", "ilistdir", "mkdir", "mount", "remove", "rename", "rmdir",
               "stat", "statvfs", "umount", "urandom", "sync"],
        "machine": ["ADC", "I2C", "PWM", "Pin", "RTC", "SPI", "Signal", "Timer", "UART", "WDT", "deepsleep", "disable_irq",
                    "enable_irq", "idle", "mem8", "mem16", "mem32", "reset_cause", "sleep", "time_pulse_us", "unique_id",
                    "DEEPSLEEP", "DEEPSLEEP_RESET", "HARD_RESET", "PWRON_RESET", "SOFT_RESET", "WDT_RESET"],
        "gc": ["mem_free", "mem_alloc", "threshold", "enable", "disable", "isenabled"],
        "sys": ["argv", "exit", "implementation", "modules", "path", "print_exception", "stderr", "stdin", "stdout", "version_info"],
        "time": ["localtime", "mktime", "ticks_ms", "ticks_us", "ticks_cpu", "ticks_add", "ticks_diff", "time"],
        "micropython": ["alloc_emergency_exception_buf", "const", "heap_lock", "heap_unlock", "kbd_intr", "mem_info",
                        "opt_level", "qstr_info", "schedule", "stack_use"],
    ]

    /// Canonical module name (`uos` → `os`).
    static func canonical(_ module: String) -> String {
        switch module {
        case "uos": "os"
        case "umachine": "machine"
        case "utime": "time"
        default: module
        }
    }

    /// Whether `import name` succeeds.
    func canImport(_ name: String) -> Bool {
        Self.emulatedModules.contains(name) || Self.otherKnownModules.contains(name)
    }

    /// `module.name`.
    func attribute(_ name: String, of module: String) throws(PyException) -> PyValue {
        let canonical = Self.canonical(module)
        switch (canonical, name) {
        case ("esp", "check_fw"), ("esp", "flash_size"), ("esp", "flash_id"), ("esp", "flash_user_start"), ("esp", "osdebug"),
             ("os", "uname"), ("os", "listdir"), ("os", "getcwd"),
             ("machine", "reset"), ("machine", "freq"),
             ("gc", "collect"),
             ("time", "sleep"), ("time", "sleep_ms"), ("time", "sleep_us"):
            return .function("\(canonical).\(name)")
        case ("esp", "SLEEP_NONE"): return .int(0)
        case ("esp", "SLEEP_LIGHT"): return .int(1)
        case ("esp", "SLEEP_MODEM"): return .int(2)
        case ("sys", "platform"): return .str("esp8266")
        case ("sys", "version"): return .str("3.4.0")
        case ("sys", "byteorder"): return .str("little")
        case ("sys", "maxsize"): return .int(2_147_483_647)
        case (_, "__name__"): return .str(module)
        default:
            if Self.emulatedModules.contains(module), !(Self.otherKnownAttributes[canonical]?.contains(name) ?? false) {
                throw PyException(type: "AttributeError", message: "'module' object has no attribute '\(name)'")
            }
            throw PyException.notEmulated("\(module).\(name)")
        }
    }

    /// Calls an emulated module function. `output` collects printed text (with `\n` line ends).
    func call(_ function: String, _ args: [PyValue], output: inout String, reset: inout Bool) throws(PyException) -> PyValue {
        func arity(_ range: ClosedRange<Int>) throws(PyException) {
            guard range.contains(args.count) else {
                throw PyException(type: "TypeError", message: "function takes \(range.lowerBound) positional arguments but \(args.count) were given")
            }
        }
        switch function {
        case "esp.check_fw":
            try arity(0...0)
            return .bool(checkFirmware(output: &output))
        case "esp.flash_size":
            try arity(0...0)
            return .int(layout.sdkChipSize)
        case "esp.flash_id":
            try arity(0...0)
            return .int(Int(flashID.raw))
        case "esp.flash_user_start":
            try arity(0...0)
            return .int(layout.userStart)
        case "esp.osdebug":
            try arity(1...1)
            return .none
        case "os.uname":
            try arity(0...0)
            return .attrTuple(
                ["sysname", "nodename", "release", "version", "machine"],
                [.str("esp8266"), .str("esp8266"), .str(identity.sdkVersion), .str(identity.unameVersion), .str(identity.machine)]
            )
        case "os.listdir":
            try arity(0...1)
            return .list(layout.filesystemState(flash) == .mountable ? [.str("boot.py")] : [])
        case "os.getcwd":
            try arity(0...0)
            return .str("/")
        case "machine.reset":
            try arity(0...0)
            reset = true
            return .none
        case "machine.freq":
            try arity(0...1)
            return args.isEmpty ? .int(80_000_000) : .none
        case "gc.collect":
            try arity(0...0)
            return .none
        case "time.sleep", "time.sleep_ms", "time.sleep_us":
            try arity(1...1)
            return .none
        default:
            throw PyException.notEmulated(function)
        }
    }

    /// `esp.check_fw()`: size word at 0x8FFC, MD5 over flash [4, size), compared with the 16 bytes at `size`.
    func checkFirmware(output: inout String) -> Bool {
        let size = flash.u32(at: 0x8FFC)
        output += "size: \(Int32(bitPattern: size))\n"
        guard size <= 1 << 20 else {
            output += "Invalid size\n"
            return false
        }
        let length = max(0, Int(size) - 4)
        let digest = Array(Insecure.MD5.hash(data: flash.read(4, length)))
        output += "md5: " + Hex.string(digest) + "\n"
        return digest == flash.read(Int(size), 16)
    }
}
