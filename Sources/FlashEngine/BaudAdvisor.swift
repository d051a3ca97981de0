import PortDiscovery

/// Recommends the first baud rate to try, from the USB bridge chip, the platform and memory.
///
/// The table (also in docs/user-guide.md):
///
/// | bridge | first rate | why |
/// |---|---|---|
/// | FTDI, Espressif USB | 921600 | accurate baud generators, reliable at high rates |
/// | CP210x, CH340/CH341, CH9102/CH343 | 460800 | reliable on most boards; 921600 often fails on cheap boards |
/// | PL2303 | 230400 | clone chips and old drivers drop bytes above that |
/// | unknown adapter | 230400 | nothing known: start moderately |
/// | macOS with a CH34x chip | at most 230400 | the built-in driver has been unreliable at higher rates |
///
/// The ESP8266 ROM auto-bauds at whatever rate it is synced at, so this is the rate the whole
/// write runs at; the ladder falls back to 230400 and 115200 when the link misbehaves.
public enum BaudAdvisor {
    /// A recommendation with its reason.
    public struct Advice: Sendable, Equatable {
        /// The first rate to try.
        public var baud: Int
        /// One line on why.
        public var reason: String
    }

    /// Recommends a first rate.
    ///
    /// - Parameters:
    ///   - bridge: the adapter's bridge chip, when known.
    ///   - platform: `linux`, `macos` or `windows`.
    ///   - remembered: the rate that worked last time with this adapter.
    public static func recommend(bridge: USBBridge?, platform: String, remembered: Int?) -> Advice {
        var baud: Int
        var reason: String
        if let bridge {
            baud = bridge.recommendedMaxBaud
            reason = "\(bridge.displayName) adapters are reliable at \(baud) baud"
            if platform == "macos" && bridge.id.hasPrefix("ch3") && baud > 230_400 {
                baud = 230_400
                reason = "\(bridge.displayName) on macOS is safest at 230400 baud"
            }
        } else {
            baud = 230_400
            reason = "unknown USB adapter: starting at a moderate 230400 baud"
        }
        if let remembered, remembered <= baud {
            return Advice(baud: remembered, reason: "\(remembered) baud worked with this adapter last time")
        }
        return Advice(baud: baud, reason: reason)
    }
}
