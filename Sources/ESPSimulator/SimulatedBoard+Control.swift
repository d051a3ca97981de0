import ESPProtocol
import Foundation

/// The board's status and the control channel's text commands (`lines 1 0`, `fault noise 0.01`, `dump-flash FILE`, …).
extension SimulatedBoard {
    /// The current status.
    public func status() -> SimulatorStatus { lock.withLock { statusLocked() } }

    private func statusLocked() -> SimulatorStatus {
        let flash = chip.hardware.flash
        let mode = flash.bytes.first == 0xE9 ? FlashMode(headerValue: flash.bytes[2])?.rawValue : nil
        return SimulatorStatus(
            profile: options.profile.id, state: plugged ? chip.state.rawValue : "unplugged", plugged: plugged,
            ptyPath: plugged ? currentPTYPath : nil, link: options.linkPath, controlSocket: control?.path,
            uartBaud: chip.uartBaud, clientBaud: pty?.clientBaud ?? 0, bootCount: chip.bootCount, downloadModeEntries: chip.downloadModeEntries,
            imageFlashMode: mode, dtr: dtr, rts: rts, bootButtonHeld: bootButton,
            autoReset: options.profile.hasAutoReset, faults: wire.faults, realtime: options.realtime,
            traffic: trafficLocked())
    }

    private func trafficLocked() -> SimulatorTraffic {
        var t = traffic
        t.loaderCommands = chip.loaderCommands
        return t
    }

    /// Runs one control-channel command line and returns the one-line JSON reply.
    public func handleControlCommand(_ line: String) -> String {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
        guard let command = words.first?.lowercased() else { return ControlReply.failure("empty command").json }
        func flag(_ i: Int) -> Bool? {
            guard words.count > i else { return nil }
            switch words[i].lowercased() {
            case "1", "on", "true", "high", "assert", "asserted": return true
            case "0", "off", "false", "low", "deassert", "released": return false
            default: return nil
            }
        }
        switch command {
        case "status":
            break
        case "dtr":
            guard let v = flag(1) else { return ControlReply.failure("usage: dtr <0|1>").json }
            let r = lock.withLock { rts }
            setModemLines(dtr: v, rts: r)
        case "rts":
            guard let v = flag(1) else { return ControlReply.failure("usage: rts <0|1>").json }
            let d = lock.withLock { dtr }
            setModemLines(dtr: d, rts: v)
        case "lines":
            guard let d = flag(1), let r = flag(2) else { return ControlReply.failure("usage: lines <dtr 0|1> <rts 0|1>").json }
            setModemLines(dtr: d, rts: r)
        case "hold-boot":
            holdBootButton()
        case "release-boot":
            releaseBootButton()
        case "reset":
            pressReset()
        case "unplug":
            unplug()
        case "replug":
            replug()
        case "fault":
            guard words.count >= 2 else { return ControlReply.failure("usage: fault noise <rate> | drop <rate> | stall | clear").json }
            var faults = lock.withLock { wire.faults }
            switch words[1].lowercased() {
            case "noise", "drop":
                guard words.count >= 3, let rate = Double(words[2]), rate >= 0, rate <= 1 else {
                    return ControlReply.failure("usage: fault \(words[1]) <rate between 0 and 1>").json
                }
                if words[1].lowercased() == "noise" { faults.noiseRate = rate } else { faults.dropRate = rate }
            case "stall":
                faults.stalled = true
            case "clear":
                faults = WireFaults()
            default:
                return ControlReply.failure("unknown fault '\(words[1])'; use noise, drop, stall or clear").json
            }
            setFaults(faults)
        case "dump-flash":
            guard words.count >= 2 else { return ControlReply.failure("usage: dump-flash <file> (writes the whole flash chip to that file)").json }
            let path = line.drop(while: { $0 == " " || $0 == "\t" }).dropFirst(command.count)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            do {
                try Data(flashContents()).write(to: URL(fileURLWithPath: path))
            } catch {
                return ControlReply.failure("could not write the flash to \(path): \(error.localizedDescription); choose a writable file").json
            }
        case "quit":
            let reply = ControlReply.success(status()).json
            DispatchQueue.global().async { [weak self] in
                self?.stop()
                self?.onQuit?()
            }
            return reply
        default:
            return ControlReply.failure("unknown command '\(command)'; commands: status, dtr, rts, lines, hold-boot, release-boot, reset, unplug, replug, fault, dump-flash, quit").json
        }
        return ControlReply.success(status()).json
    }
}
