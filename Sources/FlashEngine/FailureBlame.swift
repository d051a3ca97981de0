import ESPLoader
import ESPProtocol

/// Who a failed loader exchange is blamed on: the serial link (damaged frames) or the flasher stub.
///
/// Decided from evidence, never by default: a checksum error, a damaged or unexpected frame, a
/// timeout after damaged frames arrived, or the ROM's "invalid message" (status 0x05) on a
/// command the ROM implements all mean bytes were corrupted on the way. Blaming the stub for
/// them would make every later run on a clean link use the slow ROM loader.
public enum FailureBlame: Equatable, Sendable {
    /// Bytes were damaged on the wire; `evidence` says how, in words.
    case link(evidence: String)
    /// The link carried the exchange cleanly and the stub still did not work.
    case stub

    /// Commands the ESP8266 ROM loader implements: a failure status on one of these is a damaged packet.
    static let romCommands: Set<Opcode> = [
        .flashBegin, .flashData, .flashEnd, .memBegin, .memEnd, .memData, .sync, .writeReg, .readReg,
    ]

    /// Blames `error`, given the damaged frames the connection counted during the exchange.
    public static func of(_ error: LoaderError, corruptFrames: Int) -> FailureBlame {
        switch error {
        case .commandFailed(let op, let failure, let loader):
            if failure.isChecksumError { return .link(evidence: "the chip reported a checksum error on \(op)") }
            if loader == .rom, failure.isUnsupported, romCommands.contains(op) {
                return .link(evidence: "the ROM loader called a \(op) packet invalid (status 0x05), and it does implement \(op): the packet arrived damaged")
            }
        case .unexpectedResponses(let op, let skipped):
            return .link(evidence: "\(skipped) replies that do not answer \(op) arrived")
        case .malformedResponse(let op, let why):
            return .link(evidence: "the reply to \(op) arrived damaged (\(why))")
        case .blockWriteFailed(_, _, _, let last):
            return of(last, corruptFrames: corruptFrames)
        case .noBootloaderAnswer(_, let corrupt, _, _) where corrupt > 0:
            return .link(evidence: "\(corrupt) damaged frames arrived")
        default:
            break
        }
        if corruptFrames > 0 {
            return .link(evidence: "\(corruptFrames) damaged frames arrived before it failed")
        }
        return .stub
    }
}
