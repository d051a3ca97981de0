#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Station

/// With `--json`, standard output carries event lines only: everything else the command prints
/// (its human text, progress, prompts) is moved to standard error.
enum JSONStandardOutput {
    /// Points the process's standard output at standard error and returns a writer to the real one.
    /// Done before anything is printed, so no human line reaches the JSON stream, wherever it is printed from.
    static func takeOver() -> EventStreamWriter {
        fflush(nil)
        let saved = dup(STDOUT_FILENO)
        guard saved >= 0, dup2(STDERR_FILENO, STDOUT_FILENO) >= 0 else {
            // Without a spare descriptor the human text stays where it was; the events still go out.
            return EventStreamWriter.standardOutput()
        }
        let handle = FileHandle(fileDescriptor: saved, closeOnDealloc: false)
        return EventStreamWriter { line in handle.write(Data(line.utf8)) }
    }
}
