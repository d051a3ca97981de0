#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// An IPv4 or IPv6 network in CIDR form (`192.168.1.0/24`, `::1/128`, a bare address = one host).
public struct AddressRange: Equatable, Sendable, CustomStringConvertible {
    /// The network address bytes (4 or 16).
    public let network: [UInt8]
    /// The prefix length in bits.
    public let prefix: Int
    public let description: String

    /// Parses CIDR text; nil when it is not an address with an optional /prefix.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bytes = AddressRange.parseAddress(String(parts[0])) else { return nil }
        let bits = bytes.count * 8
        var prefix = bits
        if parts.count == 2 {
            guard let p = Int(parts[1]), (0...bits).contains(p) else { return nil }
            prefix = p
        }
        network = bytes
        self.prefix = prefix
        description = text
    }

    /// True when `address` (4 or 16 bytes) lies in the range; an IPv4-mapped IPv6 address
    /// (::ffff:a.b.c.d) counts as its IPv4 address.
    public func contains(_ address: [UInt8]) -> Bool {
        var address = address
        if address.count == 16, network.count == 4, address[0..<10].allSatisfy({ $0 == 0 }), address[10] == 0xFF, address[11] == 0xFF {
            address = Array(address[12...])
        }
        guard address.count == network.count else { return false }
        var left = prefix
        for i in 0..<address.count where left > 0 {
            let take = min(8, left)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
            if address[i] & mask != network[i] & mask { return false }
            left -= take
        }
        return true
    }

    /// The bytes of an IPv4 or IPv6 address in text form.
    public static func parseAddress(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
