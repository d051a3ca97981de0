/// Several simulated boards of one kind, told apart by their MAC as real ones are.
extension BoardProfile {
    /// The same board with the MAC's last byte set to `unit`.
    ///
    /// The last MAC byte lives alone in the top byte of eFuse word 0, so changing it leaves the
    /// OUI encoding (legacy selector or word 3) and the ESP8285 bits as the profile has them.
    public func unit(_ unit: UInt8) -> BoardProfile {
        var copy = self
        copy.mac[5] = unit
        copy.efuses[0] = (efuses[0] & 0x00FF_FFFF) | UInt32(unit) << 24
        return copy
    }
}
