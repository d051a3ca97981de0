/// The telnet (RFC 854/855) and COM-PORT-OPTION (RFC 2217) byte values espwiz uses.
public enum TelnetCode {
    /// "Interpret as command": starts every telnet command; doubled to send a data byte 0xFF.
    public static let iac: UInt8 = 255
    public static let dont: UInt8 = 254
    public static let `do`: UInt8 = 253
    public static let wont: UInt8 = 252
    public static let will: UInt8 = 251
    /// Subnegotiation begin / end.
    public static let sb: UInt8 = 250
    public static let se: UInt8 = 240
    public static let nop: UInt8 = 241

    /// Options.
    public static let binary: UInt8 = 0
    public static let echo: UInt8 = 1
    public static let suppressGoAhead: UInt8 = 3
    public static let comPortOption: UInt8 = 44

    /// Largest subnegotiation kept (RFC 2217's longest is a 4-byte baud rate or a short
    /// signature); longer ones are dropped so a hostile peer cannot grow memory.
    public static let maxSubnegotiation = 256
}

/// RFC 2217 COM-PORT-OPTION commands, client to server (a server answers with the value + 100).
public enum ComPortCommand: UInt8, Sendable, CaseIterable {
    case signature = 0
    case setBaudRate = 1
    case setDataSize = 2
    case setParity = 3
    case setStopSize = 4
    case setControl = 5
    case notifyLineState = 6
    case notifyModemState = 7
    case flowControlSuspend = 8
    case flowControlResume = 9
    case setLineStateMask = 10
    case setModemStateMask = 11
    case purgeData = 12

    /// The code of the server's answer to this command.
    public var serverCode: UInt8 { rawValue + 100 }
}

/// SET-CONTROL values (RFC 2217) for DTR, RTS and flow control.
public enum ControlValue {
    public static let requestFlow: UInt8 = 0
    public static let noFlowControl: UInt8 = 1
    public static let dtrOn: UInt8 = 8
    public static let dtrOff: UInt8 = 9
    public static let rtsOn: UInt8 = 11
    public static let rtsOff: UInt8 = 12
}

/// PURGE-DATA values.
public enum PurgeValue {
    public static let receive: UInt8 = 1
    public static let transmit: UInt8 = 2
    public static let both: UInt8 = 3
}
