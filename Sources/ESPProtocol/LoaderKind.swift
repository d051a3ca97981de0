/// Which program answers on the chip's UART: the mask ROM loader or a RAM flasher stub.
public enum LoaderKind: String, Sendable, Codable, CaseIterable {
    /// The ESP8266 mask-ROM serial loader.
    case rom
    /// A flasher stub running from RAM.
    case stub
}
