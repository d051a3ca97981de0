#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import Foundation

/// A program started with `posix_spawn` and reaped with `wait4`, so its own CPU time and peak
/// memory are known (not those of every child of the benchmark).
final class ChildProcess {
    /// What a finished child used.
    struct Usage: Sendable {
        /// Exit status (128 + signal when killed).
        var exitCode: Int32
        /// Wall time from spawn to reap.
        var wallSeconds: Double
        /// User plus system CPU time.
        var cpuSeconds: Double
        /// Peak resident set size, bytes.
        var peakRSSBytes: Int
    }

    /// The process id.
    let pid: pid_t
    private let started: ContinuousClock.Instant

    /// Starts `executable` with `arguments`, stdout and stderr into `logPath`, and `environment`
    /// added to the benchmark's own.
    init(executable: String, arguments: [String], logPath: String, environment: [String: String] = [:]) throws {
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var child: pid_t = 0
        started = .now
        let rc = posix_spawn(&child, executable, &actions, nil, argv, envp)
        guard rc == 0 else { throw BenchmarkError("Could not start \(executable): \(String(cString: strerror(rc))).") }
        pid = child
    }

    /// Waits for the child (killing it after `limit`) and returns what it used.
    func wait(limit: Duration = .seconds(900)) -> Usage {
        var status: Int32 = 0
        var usage = rusage()
        let deadline = started + limit
        var killed = false
        while true {
            let r = wait4(pid, &status, WNOHANG, &usage)
            if r == pid { break }
            if r < 0 && errno != EINTR { break }
            if !killed && ContinuousClock.now > deadline {
                kill(pid, SIGKILL)
                killed = true
            }
            usleep(1000)
        }
        let wall = ContinuousClock.now - started
        let cpu = seconds(usage.ru_utime) + seconds(usage.ru_stime)
        let exited = status & 0x7F == 0
        let code = exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Usage(exitCode: code, wallSeconds: wall.seconds, cpuSeconds: cpu, peakRSSBytes: Int(usage.ru_maxrss) * 1024)
    }

    /// Asks the child to stop (SIGTERM).
    func terminate() { kill(pid, SIGTERM) }

    private func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
}

extension Duration {
    /// The duration in seconds as a Double.
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
