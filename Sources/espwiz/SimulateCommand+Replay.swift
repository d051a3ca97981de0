#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import ArgumentParser
import Foundation
import ProtocolTrace

extension SimulateCommand {
    /// `espwiz simulate --replay TRACE`: serves a recorded trace on a pty until Ctrl-C or SIGTERM.
    func runReplay(tracePath: String) throws {
        guard let data = FileManager.default.contents(atPath: tracePath) else {
            throw ValidationError("Cannot read the trace \(tracePath). Check the path (a file written by --trace).")
        }
        let trace: RecordedTrace
        do { trace = try TraceParser.parse(String(decoding: data, as: UTF8.self)) } catch {
            throw ValidationError("\(tracePath): \(error)")
        }
        let server: ReplayServer
        do { server = try ReplayServer(trace: trace) } catch { throw ValidationError("Cannot create a pseudo-terminal: \(error)") }
        let commands = trace.items.filter { if case .sentFrame = $0 { true } else { false } }.count
        print("Replaying \(tracePath): \(commands) recorded commands, answered in order (timing and baud rate are not replayed).")
        print("pty: \(server.path)")
        if let link {
            _ = unlink(link)
            if symlink(server.path, link) == 0 { print("link: \(link)") } else {
                FileHandle.standardError.write(Data("! Could not create the link \(link) (errno \(errno)); use the pty path.\n".utf8))
            }
        }
        print("Press Ctrl-C to stop.")
        fflush(stdout)
        server.onActivity = { activity in
            switch activity {
            case .served(let line, let request, let bytes): print("served \(request) (trace line \(line), \(bytes) bytes back)")
            case .unmatched(let request): print("no recorded \(request) left: not answered")
            case .unservable(let lines): print("replies on trace lines \(lines.map(String.init).joined(separator: ", ")) are shortened in the trace and were not sent")
            }
            fflush(stdout)
        }
        server.start()
        let done = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { done.signal() }
            source.resume()
            sources.append(source)
        }
        done.wait()
        server.stop()
        if let link { _ = unlink(link) }
        sources.forEach { $0.cancel() }
        print("Replay stopped (\(server.remaining) recorded commands not asked for).")
    }
}
