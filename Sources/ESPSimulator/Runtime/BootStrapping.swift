/// The levels of the strapping pins sampled at reset and the `boot mode:(x,y)` pair the ROM prints.
///
/// `x = 4·GPIO15 + 2·GPIO0 + GPIO2` (true = high). `y` is not understood (commonly 6 or 7, UNCONFIRMED meaning);
/// the board chooses it.
public struct BootStrapping: Sendable, Equatable {
    /// GPIO15 (MTDO) level; must be low for a normal boot.
    public var gpio15: Bool
    /// GPIO0 level: low selects the UART download loader, high boots from flash.
    public var gpio0: Bool
    /// GPIO2 level; must be high (it has a weak pull-up).
    public var gpio2: Bool
    /// The second number printed in `boot mode:(x,y)`.
    public var y: Int

    /// Creates a strapping.
    public init(gpio15: Bool = false, gpio0: Bool = true, gpio2: Bool = true, y: Int = 6) {
        self.gpio15 = gpio15
        self.gpio0 = gpio0
        self.gpio2 = gpio2
        self.y = y
    }

    /// Normal boot from SPI flash, `boot mode:(3,y)`.
    public static func flash(y: Int = 6) -> BootStrapping { BootStrapping(gpio0: true, y: y) }

    /// UART download mode (GPIO0 held low), `boot mode:(1,y)`.
    public static func download(y: Int = 6) -> BootStrapping { BootStrapping(gpio0: false, y: y) }

    /// The first number of `boot mode:(x,y)`.
    public var x: Int { (gpio15 ? 4 : 0) + (gpio0 ? 2 : 0) + (gpio2 ? 1 : 0) }

    /// What the ROM does with this strapping.
    public var path: BootPath {
        switch x {
        case 1: .uartDownload
        case 3: .flash
        case 4...7: .sdio
        default: .unusable
        }
    }
}

/// The ROM's choice after sampling the strapping pins.
public enum BootPath: Sendable, Equatable {
    /// x = 1: wait for the serial loader protocol (SYNC).
    case uartDownload
    /// x = 3: load the image at flash offset 0.
    case flash
    /// x = 4…7 (GPIO15 high): SDIO boot, the ROM waits for an SDIO host.
    case sdio
    /// x = 0 or 2 (GPIO2 low): modes that are of no use on a module.
    case unusable
}
