/// A snapshot of a running simulated board, as the control channel's `status` reports it.
public struct SimulatorStatus: Equatable, Sendable, Codable {
    /// Profile id (`nodemcu`…).
    public var profile: String
    /// `bootloader`, `stub`, `firmware`, `halted`, or `unplugged`.
    public var state: String
    /// True while the USB cable is "plugged in" (the pty exists).
    public var plugged: Bool
    /// The pty slave path clients open.
    public var ptyPath: String?
    /// The symlink pointing at the pty, when requested.
    public var link: String?
    /// The control socket path.
    public var controlSocket: String?
    /// The chip UART's rate.
    public var uartBaud: Int
    /// The rate the client set on its port.
    public var clientBaud: Int
    /// Boots from flash since the simulator started.
    public var bootCount: Int
    /// Resets into download mode (the ROM bootloader) since the simulator started (nil from older simulators).
    public var downloadModeEntries: Int?
    /// Flash mode in the header of the image at offset 0 (`qio`, `dio`…), nil when no image.
    public var imageFlashMode: String?
    /// DTR as the client/adapter drives it (true = asserted).
    public var dtr: Bool
    /// RTS as the client/adapter drives it (true = asserted).
    public var rts: Bool
    /// True while the BOOT/FLASH button (GPIO0 to ground) is held.
    public var bootButtonHeld: Bool
    /// True when the board has the DTR/RTS auto-reset circuit.
    public var autoReset: Bool
    /// Injected line faults.
    public var faults: WireFaults
    /// True when output is paced at the baud rate and flash operations take real time.
    public var realtime: Bool
    /// Read-only traffic counters since the simulator started (nil from older simulators).
    public var traffic: SimulatorTraffic?
}
