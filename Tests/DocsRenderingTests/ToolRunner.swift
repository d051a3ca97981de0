import Foundation

/// Runs a helper program (sh, cmark-gfm, rsvg-convert, python3, espwiz) and captures its output.
struct ToolRunner {
    struct Result { var status: Int32; var stdout: String; var stderr: String }

    /// Finds a program in the usual Debian locations.
    static func find(_ name: String) -> String? {
        for dir in ["/usr/bin", "/bin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: dir + "/" + name) {
            return dir + "/" + name
        }
        return nil
    }

    /// Runs `path` with `arguments`, feeding `input` on stdin.
    static func run(_ path: String, _ arguments: [String], input: String = "") throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        p.standardInput = inPipe
        p.standardOutput = outPipe
        p.standardError = errPipe
        try p.run()
        inPipe.fileHandleForWriting.write(Data(input.utf8))
        try inPipe.fileHandleForWriting.close()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        let err = errPipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self))
    }

    /// The argument vector a POSIX shell builds from `line` (a command line without the program name
    /// or with it: every word is printed), by running it through `/bin/sh`.
    static func posixWords(_ line: String) throws -> [String] {
        // Each word is printed NUL-terminated so words with newlines survive.
        let r = try run("/bin/sh", ["-c", "set -- " + line + "; for a in \"$@\"; do printf '%s\\000' \"$a\"; done"])
        guard r.status == 0 else { throw ToolError("sh failed on \(line): \(r.stderr)") }
        var words = r.stdout.components(separatedBy: "\0")
        words.removeLast()
        return words
    }
}

/// A helper program failed or is missing.
struct ToolError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
