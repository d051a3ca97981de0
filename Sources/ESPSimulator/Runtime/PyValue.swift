/// A value in the REPL's tiny Python subset.
indirect enum PyValue: Equatable, Sendable {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case str(String)
    case tuple([PyValue])
    case list([PyValue])
    /// A named tuple such as `os.uname()`'s result (MicroPython's "attrtuple").
    case attrTuple([String], [PyValue])
    case module(String)
    /// A built-in function, named `module.function` or just `function` for builtins.
    case function(String)

    /// The type name used in error messages.
    var typeName: String {
        switch self {
        case .none: "NoneType"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .str: "str"
        case .tuple, .attrTuple: "tuple"
        case .list: "list"
        case .module: "module"
        case .function: "function"
        }
    }

    /// Python's `repr()`.
    var repr: String {
        switch self {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .float(let d): return PyValue.formatFloat(d)
        case .str(let s): return PyValue.quote(s)
        case .tuple(let items):
            if items.count == 1 { return "(\(items[0].repr),)" }
            return "(" + items.map(\.repr).joined(separator: ", ") + ")"
        case .list(let items): return "[" + items.map(\.repr).joined(separator: ", ") + "]"
        case .attrTuple(let names, let values):
            return "(" + zip(names, values).map { "\($0)=\($1.repr)" }.joined(separator: ", ") + ")"
        case .module(let name): return "<module '\(name)'>"
        case .function: return "<function>"
        }
    }

    /// Python's `str()`.
    var str: String {
        if case .str(let s) = self { return s }
        return repr
    }

    /// Python truthiness.
    var isTruthy: Bool {
        switch self {
        case .none: false
        case .bool(let b): b
        case .int(let i): i != 0
        case .float(let d): d != 0
        case .str(let s): !s.isEmpty
        case .tuple(let items), .list(let items): !items.isEmpty
        case .attrTuple(_, let values): !values.isEmpty
        case .module, .function: true
        }
    }

    /// Quotes like Python: single quotes unless the text holds a single quote and no double quote.
    static func quote(_ s: String) -> String {
        let useDouble = s.contains("'") && !s.contains("\"")
        let q: Character = useDouble ? "\"" : "'"
        var out = String(q)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(scalar) == q {
                    out += "\\" + String(q)
                } else if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append(q)
        return out
    }

    /// Formats a float the way MicroPython's single-precision build does: about 7 significant digits,
    /// `.0` on whole numbers.
    static func formatFloat(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == value.rounded(), abs(value) < 1e16 { return String(Int(value)) + ".0" }
        let negative = value < 0
        var magnitude = abs(value)
        var exponent = 0
        while magnitude >= 10 { magnitude /= 10; exponent += 1 }
        while magnitude < 1 { magnitude *= 10; exponent -= 1 }
        guard exponent >= -4 && exponent < 16 else { return String(Float(value)) }
        var digits = Int((magnitude * 1_000_000).rounded())  // 7 significant digits
        if digits >= 10_000_000 { digits /= 10; exponent += 1 }
        var text = String(digits)
        var result: String
        if exponent >= 0 {
            let intCount = exponent + 1
            while text.count < intCount { text += "0" }
            result = String(text.prefix(intCount)) + "." + String(text.dropFirst(intCount))
        } else {
            result = "0." + String(repeating: "0", count: -exponent - 1) + text
        }
        while result.hasSuffix("0") { result.removeLast() }
        if result.hasSuffix(".") { result += "0" }
        return (negative ? "-" : "") + result
    }
}
