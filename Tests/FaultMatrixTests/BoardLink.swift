import ESPSimulator
import Foundation
import SerialTransport

/// Line faults that live between the adapter and the board rather than on the wire.
final class LineFaults: @unchecked Sendable {
    private let lock = NSLock()
    private var broken = false

    /// True while GPIO0 cannot be pulled low: every reset boots the firmware in flash.
    var bootStrapBroken: Bool {
        get { lock.withLock { broken } }
        set { lock.withLock { broken = newValue } }
    }
}

/// DTR/RTS of the in-process simulated board (a pty carries no modem lines).
final class SimulatedBoardLines: ModemLines {
    private let board: SimulatedBoard
    private let faults: LineFaults
    private var dtr = false
    private var rts = false

    init(board: SimulatedBoard, faults: LineFaults) {
        self.board = board
        self.faults = faults
    }

    func setDTR(_ asserted: Bool) throws(SerialError) { try setBoth(dtr: asserted, rts: rts) }
    func setRTS(_ asserted: Bool) throws(SerialError) { try setBoth(dtr: dtr, rts: asserted) }

    func setBoth(dtr: Bool, rts: Bool) throws(SerialError) {
        self.dtr = dtr
        self.rts = rts
        // With the strap broken DTR never reaches GPIO0: RTS still resets, the chip boots its flash.
        board.setModemLines(dtr: faults.bootStrapBroken ? false : dtr, rts: rts)
    }
}

/// The simulated board's pty opened like a USB serial port, with its modem lines, and read
/// timeouts shortened by the same factor as the `FastLoaderClock`.
final class BoardLink: SerialLink {
    private let port: SerialPort
    private let lines: SimulatedBoardLines
    private let factor: Int64

    init(port: SerialPort, lines: SimulatedBoardLines, timeFactor: Int64) {
        self.port = port
        self.lines = lines
        factor = timeFactor
    }

    var name: String { port.name }
    var baud: Int { port.baud }
    var modemLines: (any ModemLines)? { lines }
    func setBaud(_ rate: Int) throws(SerialError) { try port.setBaud(rate) }
    func write(_ bytes: [UInt8]) throws(SerialError) { try port.write(bytes) }
    func read(maxCount: Int, timeout: Duration) throws(SerialError) -> [UInt8] {
        try port.read(maxCount: maxCount, timeout: timeout / Int(factor))
    }
    func flushInput() throws(SerialError) { try port.flushInput() }
    func drainOutput() { port.drainOutput() }
    func close() { port.close() }
}
