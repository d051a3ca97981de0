import SerialTransport

extension SimulatedBoard {
    /// DTR/RTS wired to this board's inputs, as a USB adapter's lines would be (in-process use).
    public func modemLines() -> CallbackModemLines {
        CallbackModemLines(name: ptyPath) { [weak self] dtr, rts in self?.setModemLines(dtr: dtr, rts: rts) }
    }
}
