import ArgumentParser
import ESPLoader
import Foundation

/// Times espwiz and esptool flashing the real MicroPython image onto the realtime simulator.
///
/// Not a test: it is slow (tens of minutes for the full set) and its figures depend on the machine.
@main
struct EspwizBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "espwiz-bench",
        abstract: "Benchmark espwiz against esptool on the realtime simulator (see docs/performance.md).")

    @Option(help: "The espwiz binary to time.")
    var espwiz = ".build/release/espwiz"
    @Option(help: "The espwiz binary that runs the simulator (default: --espwiz); it must report traffic counters.")
    var simulator: String?
    @Option(help: "The esptool executable.")
    var esptool = ".build/venv/bin/esptool"
    @Option(help: "The firmware image.")
    var firmware = ".build/firmware/micropython-firmware-combined.bin"
    @Option(help: "Comma-separated baud rates.")
    var bauds = "115200,460800,921600"
    @Option(help: "Comma-separated tools: \(ToolVariant.allCases.map(\.rawValue).joined(separator: ", ")) (espwiz-backup and esptool-read-flash only when named; they always use a used board).")
    var tools = ToolVariant.flashVariants.map(\.rawValue).joined(separator: ",")
    @Option(help: "Runs per tool and baud (the median is reported).")
    var runs = 3
    @Option(help: "Start-up runs per command (0 skips the start-up timing).")
    var startupRuns = 10
    @Option(help: "Also write every run's raw figures here (JSON lines).")
    var raw: String?
    @Option(help: "Folder for logs and run records (default: a new temporary folder).")
    var workDirectory: String?
    @Flag(help: "Let the simulated stub decode, hash and scan instantly (the chip-time model is on by default).")
    var noChipTime = false
    @Flag(help: "Start every simulator with a used board's flash (old firmware, filesystem, SDK settings).")
    var usedBoard = false
    @Option(help: "Comma-separated in-process LoaderClient jobs (on a used board): blank-scan-1MB, blank-scan-2MB, blank-scan-4MB, clean-flash; empty for none.")
    var jobs = "blank-scan-1MB,blank-scan-2MB,blank-scan-4MB,clean-flash"

    mutating func run() throws {
        let fm = FileManager.default
        for (what, path) in [("espwiz", espwiz), ("esptool", esptool)] where !fm.isExecutableFile(atPath: path) {
            throw BenchmarkError("No \(what) at \(path): build with `swift build -c release` and run scripts/setup-test-deps.sh, or pass --\(what).")
        }
        guard let data = fm.contents(atPath: firmware) else { throw BenchmarkError("No firmware at \(firmware): run scripts/setup-test-deps.sh or pass --firmware.") }
        let image = [UInt8](data)
        let compressed = try Deflate.zlibCompress(image, level: 9).count
        let espwizCompressed = try LZMA.compress(image).count
        let rates = try bauds.split(separator: ",").map { s -> Int in
            guard let b = Int(s.trimmingCharacters(in: .whitespaces)), b > 0 else { throw BenchmarkError("Not a baud rate: \(s)") }
            return b
        }
        let variants = try tools.split(separator: ",").map { s -> ToolVariant in
            guard let v = ToolVariant(rawValue: s.trimmingCharacters(in: .whitespaces)) else {
                throw BenchmarkError("Unknown tool '\(s)'; choose from \(ToolVariant.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return v
        }
        let work = workDirectory ?? NSTemporaryDirectory() + "espwiz-bench-\(getpid())"
        try fm.createDirectory(atPath: work, withIntermediateDirectories: true)
        let rawHandle: FileHandle? = try raw.map { path in
            _ = fm.createFile(atPath: path, contents: nil)
            guard let h = FileHandle(forWritingAtPath: path) else { throw BenchmarkError("Cannot write \(path).") }
            return h
        }
        log("work folder: \(work)")

        var startups: [BenchmarkReport.Startup] = []
        if startupRuns > 0 {
            startups.append(try startup(espwiz, ["--version"], label: "espwiz --version", work: work))
            startups.append(try startup(esptool, ["version"], label: "esptool version", work: work))
        }

        var rows: [RowSummary] = []
        var counter = 0
        for baud in rates {
            for variant in variants {
                var measurements: [RunMeasurement] = []
                for n in 1...runs {
                    counter += 1
                    let dir = "\(work)/run-\(counter)-\(variant.rawValue)-\(baud)"
                    let m = try measure(variant, baud: baud, directory: dir)
                    measurements.append(m)
                    log(String(format: "%@ at %d, run %d: %.2f s, exit %d, %d sent, %d received, %d round trips",
                               variant.rawValue, baud, n, m.usage.wallSeconds, m.usage.exitCode, m.traffic.bytesFromClient,
                               m.traffic.bytesToClient, m.traffic.loaderCommands))
                    if let rawHandle {
                        let line = "{\"tool\":\"\(variant.rawValue)\",\"baud\":\(baud),\"run\":\(n),\"exit\":\(m.usage.exitCode),"
                            + "\"wall\":\(m.usage.wallSeconds),\"cpu\":\(m.usage.cpuSeconds),\"peakRSS\":\(m.usage.peakRSSBytes),"
                            + "\"sent\":\(m.traffic.bytesFromClient),\"received\":\(m.traffic.bytesToClient),"
                            + "\"roundTrips\":\(m.traffic.loaderCommands),\"wireUs\":\(m.traffic.wireMicroseconds),"
                            + "\"busyUs\":\(m.traffic.busyMicroseconds),\"log\":\"\(dir)/tool.log\"}\n"
                        rawHandle.write(Data(line.utf8))
                    }
                }
                if let row = RowSummary(measurements) { rows.append(row) }
            }
        }
        try? rawHandle?.close()
        let loaderJobs = try jobs.split(separator: ",").map { s -> LoaderJob in
            guard let job = LoaderJob(name: s.trimmingCharacters(in: .whitespaces)) else { throw BenchmarkError("Unknown job '\(s)'.") }
            return job
        }
        var jobLines: [String] = []
        for baud in rates {
            for job in loaderJobs {
                counter += 1
                let dir = "\(work)/job-\(counter)-\(baud)"
                try fm.createDirectory(atPath: dir + "/runtime", withIntermediateDirectories: true)
                let sim = try SimulatorProcess(espwiz: simulator ?? espwiz, directory: dir, runtimeDirectory: dir + "/runtime",
                                               chipTime: !noChipTime, usedBoard: true)
                defer { sim.stop() }
                let before = try sim.traffic()
                let (wall, note) = try job.run(simulator: sim, baud: baud, image: image)
                let traffic = try sim.traffic().since(before)
                let reference = rows.first { $0.variant == .esptoolEraseWrite && $0.baud == baud }
                let ratio = job == .cleanFlash ? reference.map { String(format: "%.2f", wall / $0.wall) } ?? "–" : "–"
                jobLines.append(String(format: "| %@ | %d | %.2f | %.2f | %.2f | %@ | %@ |", job.label, baud, wall,
                                       Double(traffic.wireMicroseconds) / 1e6, Double(traffic.busyMicroseconds) / 1e6, ratio, note))
                log("\(job.label) at \(baud): \(String(format: "%.2f", wall)) s, \(note)")
            }
        }
        let backupRows = rows.filter(\.variant.isBackup)
        rows.removeAll(where: \.variant.isBackup)
        let report = BenchmarkReport(rows: rows, imageSize: image.count, compressedSize: compressed,
                                     espwizCompressedSize: espwizCompressed, startups: startups,
                                     machine: BenchmarkReport.describeMachine(), runsPerRow: runs)
        if !rows.isEmpty { print(report.markdown) }
        if !backupRows.isEmpty { print("\n" + BackupBenchmarkTable(rows: backupRows).markdown) }
        if !jobLines.isEmpty {
            print("\nIn-process LoaderClient jobs on a used board (chip-time model \(noChipTime ? "off" : "on"); "
                  + "× erase+write = wall / the esptool erase-flash + write-flash row at the same rate, if measured):\n")
            print("| job | baud | wall s | wire s | chip s, busy (waited + overlapped) | × erase+write | note |")
            print("|---|---:|---:|---:|---:|---:|---|")
            for line in jobLines { print(line) }
        }
    }

    /// One timed run of `variant` against a fresh simulator.
    private func measure(_ variant: ToolVariant, baud: Int, directory: String) throws -> RunMeasurement {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory + "/runtime", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: directory + "/state", withIntermediateDirectories: true)
        let sim = try SimulatorProcess(espwiz: simulator ?? espwiz, directory: directory, runtimeDirectory: directory + "/runtime",
                                       chipTime: !noChipTime, usedBoard: usedBoard || variant.isBackup)
        defer { sim.stop() }
        let executable = variant.isEspwiz ? espwiz : esptool
        let environment = ["ESPWIZ_STATE_DIR": directory + "/state", "ESPWIZ_RUNTIME_DIR": directory + "/runtime"]
        if let preparation = variant.preparation(port: sim.ptyPath, baud: baud, firmware: firmware,
                                                 recordPath: directory + "/preparation.json") {
            let usage = try ChildProcess(executable: executable, arguments: preparation, logPath: directory + "/preparation.log",
                                         environment: environment).wait()
            guard usage.exitCode == 0 else {
                throw BenchmarkError("The preparation run for \(variant.rawValue) failed with exit code \(usage.exitCode) (see \(directory)/preparation.log).")
            }
        }
        let before = try sim.traffic()
        let commands = variant.commands(port: sim.ptyPath, baud: baud, firmware: firmware, recordPath: directory + "/record.json")
        let start = ContinuousClock.now
        var usage = ChildProcess.Usage(exitCode: 0, wallSeconds: 0, cpuSeconds: 0, peakRSSBytes: 0)
        for (index, arguments) in commands.enumerated() {
            if index > 0 { try sim.enterBootloader() }
            let step = try ChildProcess(executable: executable, arguments: arguments,
                                        logPath: directory + (index == 0 ? "/tool.log" : "/tool-\(index + 1).log"),
                                        environment: environment).wait()
            usage.cpuSeconds += step.cpuSeconds
            usage.peakRSSBytes = max(usage.peakRSSBytes, step.peakRSSBytes)
            usage.exitCode = step.exitCode
            guard variant.acceptedExitCodes.contains(step.exitCode) else { break }
        }
        usage.wallSeconds = (ContinuousClock.now - start).seconds
        let after = try sim.traffic()
        return RunMeasurement(variant: variant, baud: baud, usage: usage, traffic: after.since(before))
    }

    /// Median wall time and peak memory of `startupRuns` runs of a quick command.
    private func startup(_ executable: String, _ arguments: [String], label: String, work: String) throws -> BenchmarkReport.Startup {
        var walls: [Double] = []
        var peak = 0
        for _ in 0..<startupRuns {
            let usage = try ChildProcess(executable: executable, arguments: arguments, logPath: work + "/startup.log").wait(limit: .seconds(60))
            walls.append(usage.wallSeconds)
            peak = max(peak, usage.peakRSSBytes)
        }
        log(String(format: "%@: median %.3f s", label, RowSummary.median(walls)))
        return BenchmarkReport.Startup(command: label, wall: RowSummary.median(walls), peakRSS: peak)
    }

    private func log(_ line: String) {
        FileHandle.standardError.write(Data(("[bench] " + line + "\n").utf8))
    }
}
