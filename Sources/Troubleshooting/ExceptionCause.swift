/// The Xtensa exception causes the ESP8266 firmware prints as `Fatal exception (n)` or `Exception (n)`.
public enum ExceptionCause {
    /// The name and a plain explanation for cause `code`, or nil for numbers the CPU does not use.
    public static func describe(_ code: Int) -> (name: String, meaning: String)? {
        switch code {
        case 0: ("IllegalInstruction", "the CPU met an invalid instruction (corrupt code, or code read from flash in the wrong mode)")
        case 1: ("Syscall", "a system call instruction was executed")
        case 2: ("InstructionFetchError", "the CPU could not fetch the next instruction (flash read failed)")
        case 3: ("LoadStoreError", "a load or store failed, e.g. a byte-wide access to instruction RAM or flash")
        case 4: ("Level1Interrupt", "an interrupt that nobody handled")
        case 5: ("Alloca", "a stack window problem")
        case 6: ("IntegerDivideByZero", "a division by zero")
        case 8: ("Privileged", "a privileged instruction in user mode")
        case 9: ("LoadStoreAlignment", "an unaligned load or store")
        case 12: ("InstrPIFDataError", "a bus error while fetching an instruction")
        case 13: ("LoadStorePIFDataError", "a bus error on a load or store")
        case 14: ("InstrPIFAddrError", "an instruction fetch from an invalid bus address")
        case 15: ("LoadStorePIFAddrError", "a load or store to an invalid bus address")
        case 16: ("InstTLBMiss", "an instruction address not mapped")
        case 17: ("InstTLBMultiHit", "an instruction address mapped twice")
        case 18: ("InstFetchPrivilege", "an instruction fetch from a privileged region")
        case 20: ("InstFetchProhibited", "an instruction fetch from a region that forbids it (a bad function pointer)")
        case 24: ("LoadStoreTLBMiss", "a data address not mapped")
        case 25: ("LoadStoreTLBMultiHit", "a data address mapped twice")
        case 26: ("LoadStorePrivilege", "a data access to a privileged region")
        case 28: ("LoadProhibited", "a read from an address that may not be read (typically a NULL or freed pointer)")
        case 29: ("StoreProhibited", "a write to an address that may not be written (typically a NULL pointer)")
        default: nil
        }
    }
}
