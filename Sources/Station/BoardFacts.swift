/// What `espwiz probe` tells of a board (its `result` line's `probe` object): chip, MAC, crystal, flash and USB bridge.
public struct BoardFacts: Codable, Sendable, Equatable {
    public var chip: String?
    /// The flash inside the package (ESP8285), e.g. `1MB`.
    public var embeddedFlash: String?
    public var features: [String]?
    public var mac: String?
    public var crystalMHz: Int?
    public var flashVendor: String?
    /// The flash chip's JEDEC id in hex (`c84014`).
    public var jedecID: String?
    /// `4MB`-style size, and the same in bytes.
    public var flashSize: String?
    public var flashSizeBytes: Int?
    /// The USB bridge chip as named by espwiz, and its `vid:pid`.
    public var bridge: String?
    public var usbID: String?
    /// How the bootloader was reached: automatic (DTR/RTS) or a manual boot.
    public var reset: String?

    /// Facts with every field empty; set what is known.
    public init() {}
}
