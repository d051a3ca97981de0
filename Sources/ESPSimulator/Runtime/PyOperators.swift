/// Arithmetic, comparison and indexing for the REPL's tiny Python subset, with MicroPython's error texts.
enum PyOperators {
    static let dunder: [String: String] = [
        "+": "__add__", "-": "__sub__", "*": "__mul__", "/": "__truediv__", "//": "__floordiv__", "%": "__mod__",
        "**": "__pow__", "==": "__eq__", "!=": "__ne__", "<": "__lt__", ">": "__gt__", "<=": "__le__", ">=": "__ge__",
    ]

    static func unsupported(_ op: String, _ l: PyValue, _ r: PyValue) -> PyException {
        PyException(type: "TypeError", message: "unsupported types for \(dunder[op] ?? op): '\(l.typeName)', '\(r.typeName)'")
    }

    static let overflow = PyException.notEmulated("integers beyond 64 bits")
    static let zeroDivision = PyException(type: "ZeroDivisionError", message: "division by zero")

    static func unary(_ op: String, _ v: PyValue) throws(PyException) -> PyValue {
        switch (op, v) {
        case ("+", .int), ("+", .float): return v
        case ("+", .bool(let b)): return .int(b ? 1 : 0)
        case ("-", .int(let i)):
            guard i != Int.min else { throw overflow }
            return .int(-i)
        case ("-", .bool(let b)): return .int(b ? -1 : 0)
        case ("-", .float(let d)): return .float(-d)
        default:
            throw PyException(type: "TypeError", message: "unsupported type for \(op == "-" ? "__neg__" : "__pos__"): '\(v.typeName)'")
        }
    }

    static func binary(_ op: String, _ l: PyValue, _ r: PyValue) throws(PyException) -> PyValue {
        let li = asInt(l), ri = asInt(r)
        if op == "==" { return .bool(equal(l, r)) }
        if op == "!=" { return .bool(!equal(l, r)) }
        if let a = li, let b = ri { return try integer(op, a, b, l, r) }
        if let a = asDouble(l), let b = asDouble(r) { return try float(op, a, b, l, r) }
        switch (op, l, r) {
        case ("+", .str(let a), .str(let b)): return .str(a + b)
        case ("*", .str(let s), _) where ri != nil: return .str(String(repeating: s, count: max(0, ri!)))
        case ("*", _, .str(let s)) where li != nil: return .str(String(repeating: s, count: max(0, li!)))
        case ("+", .tuple(let a), .tuple(let b)): return .tuple(a + b)
        case ("+", .list(let a), .list(let b)): return .list(a + b)
        case ("<", .str(let a), .str(let b)): return .bool(a < b)
        case (">", .str(let a), .str(let b)): return .bool(a > b)
        case ("<=", .str(let a), .str(let b)): return .bool(a <= b)
        case (">=", .str(let a), .str(let b)): return .bool(a >= b)
        case ("%", .str, _): throw PyException.notEmulated("string formatting with %")
        default: throw unsupported(op, l, r)
        }
    }

    static func index(_ container: PyValue, _ index: PyValue) throws(PyException) -> PyValue {
        let items: [PyValue]
        switch container {
        case .tuple(let v), .list(let v), .attrTuple(_, let v): items = v
        case .str(let s): items = s.map { .str(String($0)) }
        default: throw PyException(type: "TypeError", message: "'\(container.typeName)' object is not subscriptable")
        }
        guard let i = asInt(index) else {
            throw PyException(type: "TypeError", message: "\(container.typeName) indices must be integers, not \(index.typeName)")
        }
        let position = i < 0 ? items.count + i : i
        guard position >= 0 && position < items.count else {
            throw PyException(type: "IndexError", message: "\(container.typeName) index out of range")
        }
        return items[position]
    }

    private static func asInt(_ v: PyValue) -> Int? {
        switch v {
        case .int(let i): i
        case .bool(let b): b ? 1 : 0
        default: nil
        }
    }

    private static func asDouble(_ v: PyValue) -> Double? {
        switch v {
        case .int(let i): Double(i)
        case .bool(let b): b ? 1 : 0
        case .float(let d): d
        default: nil
        }
    }

    private static func equal(_ l: PyValue, _ r: PyValue) -> Bool {
        if let a = asDouble(l), let b = asDouble(r) { return a == b }
        return l == r
    }

    private static func integer(_ op: String, _ a: Int, _ b: Int, _ l: PyValue, _ r: PyValue) throws(PyException) -> PyValue {
        func checked(_ result: (partialValue: Int, overflow: Bool)) throws(PyException) -> PyValue {
            guard !result.overflow else { throw overflow }
            return .int(result.partialValue)
        }
        switch op {
        case "+": return try checked(a.addingReportingOverflow(b))
        case "-": return try checked(a.subtractingReportingOverflow(b))
        case "*": return try checked(a.multipliedReportingOverflow(by: b))
        case "/":
            guard b != 0 else { throw zeroDivision }
            return .float(Double(a) / Double(b))
        case "//":
            guard b != 0 else { throw zeroDivision }
            guard !(a == Int.min && b == -1) else { throw overflow }
            let q = a / b
            return .int((a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q)
        case "%":
            guard b != 0 else { throw zeroDivision }
            guard !(a == Int.min && b == -1) else { return .int(0) }
            let m = a % b
            return .int(m != 0 && (m < 0) != (b < 0) ? m + b : m)
        case "**":
            if b < 0 { return .float(pow(Double(a), b)) }
            var result = 1
            for _ in 0..<b {
                let step = result.multipliedReportingOverflow(by: a)
                guard !step.overflow else { throw overflow }
                result = step.partialValue
                if result == 0 || result == 1 { break }
            }
            return .int(result)
        case "<": return .bool(a < b)
        case ">": return .bool(a > b)
        case "<=": return .bool(a <= b)
        case ">=": return .bool(a >= b)
        default: throw unsupported(op, l, r)
        }
    }

    private static func float(_ op: String, _ a: Double, _ b: Double, _ l: PyValue, _ r: PyValue) throws(PyException) -> PyValue {
        switch op {
        case "+": return .float(a + b)
        case "-": return .float(a - b)
        case "*": return .float(a * b)
        case "/":
            guard b != 0 else { throw zeroDivision }
            return .float(a / b)
        case "//":
            guard b != 0 else { throw zeroDivision }
            return .float((a / b).rounded(.down))
        case "%":
            guard b != 0 else { throw zeroDivision }
            let m = a.truncatingRemainder(dividingBy: b)
            return .float(m != 0 && (m < 0) != (b < 0) ? m + b : m)
        case "**": return .float(power(a, b))
        case "<": return .bool(a < b)
        case ">": return .bool(a > b)
        case "<=": return .bool(a <= b)
        case ">=": return .bool(a >= b)
        default: throw unsupported(op, l, r)
        }
    }

    /// `a ** b` for doubles without Foundation: exact for integral exponents, NaN otherwise.
    private static func power(_ a: Double, _ b: Double) -> Double {
        guard b == b.rounded(), abs(b) < 1e6 else { return .nan }
        var result = 1.0
        for _ in 0..<Int(abs(b)) { result *= a }
        return b < 0 ? 1 / result : result
    }

    private static func pow(_ a: Double, _ b: Int) -> Double { power(a, Double(b)) }
}
