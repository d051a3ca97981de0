import ESPSimulator
import Foundation

/// One `espwiz simulate --realtime` process, started fresh for each measured run.
final class SimulatorProcess {
    /// The simulator's pty (what the tools open).
    let ptyPath: String
    /// Its control channel (DTR/RTS, buttons, status with the traffic counters).
    let control: SimulatorControl
    private let process: ChildProcess

    /// Starts a realtime NodeMCU simulator in download mode inside `directory`, advertising in
    /// `runtimeDirectory` (so `espwiz flash --port` finds its control socket).
    /// With `chipTime` the stub's CPU work and flash reads take modelled time (`--chip-time`);
    /// with `usedBoard` the flash starts as a used board's (`--used-board`).
    init(espwiz: String, directory: String, runtimeDirectory: String, chipTime: Bool = false, usedBoard: Bool = false) throws {
        let socket = directory + "/sim.control"
        process = try ChildProcess(executable: espwiz,
                                   arguments: ["simulate", "--profile", "nodemcu", "--realtime", "--state", "bootloader",
                                               "--link", directory + "/sim", "--control", socket]
                                       + (chipTime ? ["--chip-time"] : []) + (usedBoard ? ["--used-board"] : []),
                                   logPath: directory + "/simulator.log",
                                   environment: ["ESPWIZ_RUNTIME_DIR": runtimeDirectory])
        control = SimulatorControl(socketPath: socket, timeout: .seconds(5))
        var status: SimulatorStatus?
        for _ in 0..<200 {
            if let s = try? control.status(), s.ptyPath != nil,
               (try? FileManager.default.contentsOfDirectory(atPath: runtimeDirectory))?.isEmpty == false {
                status = s
                break
            }
            usleep(25_000)
        }
        guard let status, let pty = status.ptyPath else {
            process.terminate()
            _ = process.wait(limit: .seconds(5))
            throw BenchmarkError("The simulator did not start (see \(directory)/simulator.log).")
        }
        guard status.traffic != nil else {
            process.terminate()
            _ = process.wait(limit: .seconds(5))
            throw BenchmarkError("The simulator at \(espwiz) has no traffic counters: pass --simulator with an espwiz built from this branch.")
        }
        ptyPath = pty
    }

    /// Holds BOOT, taps RESET and releases BOOT (what an auto-reset circuit does before each
    /// esptool command), then waits until the ROM listens.
    func enterBootloader() throws {
        _ = try control.holdBoot()
        _ = try control.reset()
        _ = try control.releaseBoot()
        for _ in 0..<500 {
            if try control.status().state == "bootloader" { return }
            usleep(2_000)
        }
        throw BenchmarkError("The simulated board did not enter its bootloader.")
    }

    /// The traffic counters now.
    func traffic() throws -> SimulatorTraffic {
        guard let t = try control.status().traffic else { throw BenchmarkError("The simulator stopped reporting traffic.") }
        return t
    }

    /// Stops the simulator and reaps it.
    func stop() {
        _ = try? control.quit()
        let deadline = ContinuousClock.now + .seconds(3)
        while ContinuousClock.now < deadline, FileManager.default.fileExists(atPath: control.socketPath) { usleep(10_000) }
        process.terminate()
        _ = process.wait(limit: .seconds(5))
    }
}
