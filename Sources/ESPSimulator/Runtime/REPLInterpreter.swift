/// The outcome of running one REPL input.
struct REPLRun: Equatable {
    /// Printed text, `\n` line ends.
    var output = ""
    /// The uncaught exception, if any.
    var exception: PyException?
    /// `machine.reset()` was called: execution stopped and the chip reboots.
    var resetRequested = false
}

/// Runs the tiny Python subset the simulated REPL understands: imports, assignments, `print`, integer and float
/// arithmetic, comparisons, a few builtins and the emulated module functions. Anything else raises the error
/// MicroPython would raise (NameError, ImportError, SyntaxError…) or NotImplementedError for real features that
/// the simulator does not emulate (compound statements, most builtins and module functions).
struct REPLInterpreter {
    let machine: MicroPythonMachine
    /// Names bound so far (cleared by a soft reboot).
    var globals: [String: PyValue] = [:]

    static let builtins: Set<String> = ["print", "help", "len", "str", "int", "repr", "abs", "hex"]
    static let otherBuiltins: Set<String> = [
        "dir", "range", "open", "list", "dict", "set", "bytes", "bytearray", "sorted", "input", "exec", "eval", "globals",
        "locals", "isinstance", "max", "min", "sum", "enumerate", "zip", "map", "filter", "iter", "next", "chr", "ord",
        "bin", "oct", "round", "pow", "divmod", "hash", "id", "callable", "getattr", "setattr", "hasattr", "super",
        "object", "float", "bool", "tuple", "all", "any", "compile", "issubclass", "memoryview", "frozenset", "property",
        "staticmethod", "classmethod", "reversed", "slice", "type", "Exception", "ValueError", "TypeError", "OSError",
        "KeyboardInterrupt", "__import__", "__name__",
    ]

    init(machine: MicroPythonMachine) { self.machine = machine }

    /// Runs `source`. `interactive` is the friendly REPL's single-input mode: values of expression statements are echoed.
    mutating func run(_ source: String, interactive: Bool) -> REPLRun {
        var run = REPLRun()
        let program: [(line: Int, statement: PyStatement)]
        do {
            program = try PyParser.parse(source)
        } catch {
            run.exception = error
            return run
        }
        for (line, statement) in program {
            do {
                try execute(statement, interactive: interactive, run: &run)
            } catch {
                var exception = error
                exception.line = line
                run.exception = exception
                return run
            }
            if run.resetRequested { return run }
        }
        return run
    }

    private mutating func execute(_ statement: PyStatement, interactive: Bool, run: inout REPLRun) throws(PyException) {
        switch statement {
        case .pass:
            return
        case .unsupported(let keyword):
            throw PyException.notEmulated("'\(keyword)' statements")
        case .importModules(let modules):
            for (module, alias) in modules {
                let top = String(module.prefix { $0 != "." })
                guard machine.canImport(module) else {
                    throw PyException(type: "ImportError", message: "no module named '\(top)'")
                }
                globals[alias] = .module(alias == top ? top : module)
            }
        case .fromImport(let module, let names):
            guard machine.canImport(module) else {
                throw PyException(type: "ImportError", message: "no module named '\(module)'")
            }
            for (name, alias) in names {
                if name == "*" { throw PyException.notEmulated("'from \(module) import *'") }
                do {
                    globals[alias] = try machine.attribute(name, of: module)
                } catch where error.type == "AttributeError" {
                    throw PyException(type: "ImportError", message: "cannot import name \(name)")
                }
            }
        case .assign(let name, let expr):
            globals[name] = try evaluate(expr, run: &run)
        case .expression(let expr):
            let value = try evaluate(expr, run: &run)
            if interactive, !run.resetRequested, value != .none {
                run.output += value.repr + "\n"
            }
        }
    }

    private func evaluate(_ expr: PyExpr, run: inout REPLRun) throws(PyException) -> PyValue {
        switch expr {
        case .literal(let value):
            return value
        case .name(let name):
            switch name {
            case "True": return .bool(true)
            case "False": return .bool(false)
            case "None": return .none
            default: break
            }
            if let value = globals[name] { return value }
            if Self.builtins.contains(name) { return .function(name) }
            if Self.otherBuiltins.contains(name) { throw PyException.notEmulated("'\(name)'") }
            throw PyException(type: "NameError", message: "name '\(name)' \(machine.identity.nameErrorSuffix)")
        case .attribute(let base, let name):
            let value = try evaluate(base, run: &run)
            guard case .module(let module) = value else {
                throw PyException(type: "AttributeError", message: "'\(value.typeName)' object has no attribute '\(name)'")
            }
            return try machine.attribute(name, of: module)
        case .call(let callee, let argExprs, let keywordExprs):
            let function = try evaluate(callee, run: &run)
            var args: [PyValue] = []
            for a in argExprs { args.append(try evaluate(a, run: &run)) }
            var keywords: [String: PyValue] = [:]
            for (k, e) in keywordExprs { keywords[k] = try evaluate(e, run: &run) }
            guard case .function(let name) = function else {
                throw PyException(type: "TypeError", message: "'\(function.typeName)' object is not callable")
            }
            return try call(name, args, keywords, run: &run)
        case .index(let base, let indexExpr):
            let container = try evaluate(base, run: &run)
            let index = try evaluate(indexExpr, run: &run)
            return try PyOperators.index(container, index)
        case .unary(let op, let operand):
            return try PyOperators.unary(op, try evaluate(operand, run: &run))
        case .binary(let op, let left, let right):
            let l = try evaluate(left, run: &run)
            let r = try evaluate(right, run: &run)
            return try PyOperators.binary(op, l, r)
        case .tuple(let items):
            var values: [PyValue] = []
            for i in items { values.append(try evaluate(i, run: &run)) }
            return .tuple(values)
        case .list(let items):
            var values: [PyValue] = []
            for i in items { values.append(try evaluate(i, run: &run)) }
            return .list(values)
        }
    }

    private func call(_ name: String, _ args: [PyValue], _ keywords: [String: PyValue], run: inout REPLRun) throws(PyException) -> PyValue {
        if name.contains(".") {
            guard keywords.isEmpty else { throw PyException.notEmulated("keyword arguments to \(name)") }
            return try machine.call(name, args, output: &run.output, reset: &run.resetRequested)
        }
        func one() throws(PyException) -> PyValue {
            guard args.count == 1, keywords.isEmpty else {
                throw PyException(type: "TypeError", message: "function takes 1 positional arguments but \(args.count) were given")
            }
            return args[0]
        }
        switch name {
        case "print":
            var sep = " ", end = "\n"
            for (key, value) in keywords {
                switch key {
                case "sep": sep = value == .none ? " " : value.str
                case "end": end = value == .none ? "\n" : value.str
                default: throw PyException(type: "TypeError", message: "unexpected keyword argument '\(key)'")
                }
            }
            run.output += args.map(\.str).joined(separator: sep) + end
            return .none
        case "help":
            if args.isEmpty {
                run.output += machine.identity.helpText ?? "Welcome to the simulated ESP8266 MicroPython!\n"
            } else {
                run.output += "object \(args[0].repr) is of type \(args[0].typeName)\n"
            }
            return .none
        case "len":
            switch try one() {
            case .str(let s): return .int(s.count)
            case .tuple(let items), .list(let items): return .int(items.count)
            case .attrTuple(_, let values): return .int(values.count)
            case let other: throw PyException(type: "TypeError", message: "object of type '\(other.typeName)' has no len()")
            }
        case "str":
            return args.isEmpty ? .str("") : .str(try one().str)
        case "repr":
            return .str(try one().repr)
        case "int":
            switch try one() {
            case .int(let i): return .int(i)
            case .bool(let b): return .int(b ? 1 : 0)
            case .float(let d) where d.isFinite && abs(d) < 9e18: return .int(Int(d))
            case .str(let s):
                if let i = Int(s.trimmingSpaces()) { return .int(i) }
                throw PyException(type: "ValueError", message: "invalid syntax for integer with base 10")
            case let other: throw PyException(type: "TypeError", message: "can't convert \(other.typeName) to int")
            }
        case "abs":
            switch try one() {
            case .int(let i) where i != Int.min: return .int(abs(i))
            case .float(let d): return .float(abs(d))
            case .bool(let b): return .int(b ? 1 : 0)
            case let other: throw PyException(type: "TypeError", message: "unsupported type for __abs__: '\(other.typeName)'")
            }
        case "hex":
            guard case .int(let i) = try one() else { throw PyException(type: "TypeError", message: "can't convert to int") }
            return .str((i < 0 ? "-0x" : "0x") + String(i.magnitude, radix: 16))
        default:
            throw PyException.notEmulated("'\(name)'")
        }
    }
}

private extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
