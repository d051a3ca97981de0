import SerialTransport

extension SimulatedBoard {
    /// DTR/RTS wired to this board's inputs, as a USB adapter's lines would be (in-process use).
    public func modemLines() -> CallbackModemLines {
        CallbackModemLines(name: ptyPath) { [weak self] dtr, rts in self?.setModemLines(dtr: dtr, rts: rts) }
    }
}

extension SimulatorControl {
    /// DTR/RTS of the port `name` driven through this simulator's control socket (a pty has no
    /// modem lines, so a separate `espwiz simulate` process gets them this way).
    public func modemLines(name: String) -> CallbackModemLines {
        CallbackModemLines(name: name) { dtr, rts in _ = try setLines(dtr: dtr, rts: rts) }
    }
}
