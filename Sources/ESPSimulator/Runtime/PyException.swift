/// A Python exception raised inside the REPL's tiny evaluator, printed in MicroPython's traceback format.
struct PyException: Error, Equatable {
    /// Exception class name, e.g. `NameError`.
    var type: String
    /// Message after `: ` (nil prints the bare class name).
    var message: String?
    /// Line number within the input (1-based).
    var line: Int = 1
    /// Whether the traceback names the block (`, in <module>`); compile errors do not.
    var inModule: Bool = true

    /// `Traceback (most recent call last):` … `Type: message`, with `\n` line ends (cooked later).
    var traceback: String {
        var out = "Traceback (most recent call last):\n"
        out += "  File \"<stdin>\", line \(line)"
        out += inModule ? ", in <module>\n" : "\n"
        out += type
        if let message { out += ": " + message }
        out += "\n"
        return out
    }

    static func syntax(_ message: String = "invalid syntax", line: Int = 1) -> PyException {
        PyException(type: "SyntaxError", message: message, line: line, inModule: false)
    }

    static func notEmulated(_ what: String) -> PyException {
        PyException(type: "NotImplementedError", message: "\(what) is not emulated by the simulator")
    }
}
