/// espwiz's stub's read-back MD5 in idle time (`stub_verify.c`): it hashes a write session's
/// programmed bytes, read back from the flash, while it waits for the host, so the SPI_FLASH_MD5
/// after the write only pays for the bytes not hashed yet.
///
/// Only the time is modelled: the digest the simulator answers is computed from the flash when
/// the MD5 command comes, which equals the stub's as long as nothing changed the hashed bytes
/// (every ERASE_*, CLEAN_BEGIN and BEGIN forgets the hash, as the stub does).
struct StubReadBackHash: Equatable, Sendable {
    /// The session's first address.
    let start: Int
    /// `[start, hashed)` is hashed.
    var hashed: Int
    /// The writer has programmed up to here (whole words).
    var programmedEnd: Int

    init(start: Int) {
        self.start = start
        hashed = start
        programmedEnd = start
    }

    /// Bytes hashed per step (`stub_verify.c`: one 64-byte SPI read).
    static let piece = 64

    /// Hashes whole pieces of what is programmed and not hashed, as far as `time` allows.
    mutating func idle(_ time: Duration, model: ChipTimeModel?) {
        let available = programmedEnd - hashed
        guard available > 0 else { return }
        guard let model else { hashed = programmedEnd; return }
        let perPiece = model.md5(bytes: Self.piece)
        let pieces = Int(time / perPiece)
        hashed += min(available, pieces * Self.piece) / 4 * 4
    }

    /// Bytes of `[address, address + size)` an MD5 still has to read, or nil when the hash does
    /// not start there (or covers more than the range).
    func remaining(address: Int, size: Int) -> Int? {
        guard start == address, hashed - address <= size else { return nil }
        return size - (hashed - address)
    }
}
