import ESPLoader

/// What happened when the doctor tried to reach the ROM bootloader.
public enum BootloaderOutcome: Sendable {
    /// SYNC answered; `board` is the probe (nil with `probeError` when probing failed) and
    /// `imageHeader` the first bytes of flash when they could be read.
    case connected(ConnectResult, board: BoardInfo?, probeError: LoaderError?, imageHeader: ImageHeaderPeek?)
    /// No answer. `portHasResetLines` is false when the port has no DTR/RTS to reset the board.
    case failed(LoaderError, portHasResetLines: Bool)

    /// The probe, when connected and probed.
    public var board: BoardInfo? {
        if case .connected(_, let board, _, _) = self { return board }
        return nil
    }

    /// The image header, when read.
    public var imageHeader: ImageHeaderPeek? {
        if case .connected(_, _, _, let header) = self { return header }
        return nil
    }
}
