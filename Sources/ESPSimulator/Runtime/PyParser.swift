/// An expression of the REPL's tiny Python subset.
indirect enum PyExpr: Equatable {
    case literal(PyValue)
    case name(String)
    case attribute(PyExpr, String)
    case call(PyExpr, [PyExpr], [String: PyExpr])
    case index(PyExpr, PyExpr)
    case unary(String, PyExpr)
    case binary(String, PyExpr, PyExpr)
    case tuple([PyExpr])
    case list([PyExpr])
}

/// A statement of the REPL's tiny Python subset.
enum PyStatement: Equatable {
    /// `import a, b as c` (module name, bound name).
    case importModules([(module: String, alias: String)])
    /// `from m import a, b as c`.
    case fromImport(module: String, names: [(name: String, alias: String)])
    /// `name = expr`.
    case assign(String, PyExpr)
    /// An expression statement; its value is echoed in the interactive REPL.
    case expression(PyExpr)
    case pass
    /// A keyword statement (`if`, `for`, `def`…) the simulator cannot run.
    case unsupported(String)

    static func == (lhs: PyStatement, rhs: PyStatement) -> Bool {
        switch (lhs, rhs) {
        case (.importModules(let a), .importModules(let b)): a.map { $0.module + "/" + $0.alias } == b.map { $0.module + "/" + $0.alias }
        case (.fromImport(let m1, let a), .fromImport(let m2, let b)): m1 == m2 && a.map { $0.name + "/" + $0.alias } == b.map { $0.name + "/" + $0.alias }
        case (.assign(let n1, let e1), .assign(let n2, let e2)): n1 == n2 && e1 == e2
        case (.expression(let a), .expression(let b)): a == b
        case (.pass, .pass): true
        case (.unsupported(let a), .unsupported(let b)): a == b
        default: false
        }
    }
}

/// Parses REPL input into statements, each with its 1-based line number. Everything is parsed before
/// anything runs, so a syntax error anywhere means nothing runs (as when MicroPython compiles the input).
enum PyParser {
    static let blockKeywords: Set<String> = [
        "if", "elif", "else", "for", "while", "def", "class", "try", "except", "finally", "with", "lambda",
        "async", "await", "del", "global", "nonlocal", "return", "raise", "assert", "yield", "break", "continue",
    ]

    static func parse(_ source: String) throws(PyException) -> [(line: Int, statement: PyStatement)] {
        var result: [(line: Int, statement: PyStatement)] = []
        let lines = source.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
        for (index, raw) in lines.enumerated() {
            let lineNumber = index + 1
            let line = String(raw)
            let tokens = try PyLexer.tokenize(line, lineNumber: lineNumber)
            if tokens.isEmpty { continue }
            if let first = line.unicodeScalars.first, first == " " || first == "\t" {
                throw PyException(type: "IndentationError", message: "unexpected indent", line: lineNumber, inModule: false)
            }
            var parser = LineParser(tokens: tokens, line: lineNumber)
            for statement in try parser.statements() { result.append((lineNumber, statement)) }
        }
        return result
    }
}

/// Recursive-descent parser over one line's tokens.
struct LineParser {
    let tokens: [PyToken]
    let line: Int
    var position = 0

    init(tokens: [PyToken], line: Int) {
        self.tokens = tokens
        self.line = line
    }

    var current: PyToken? { position < tokens.count ? tokens[position] : nil }

    mutating func advance() { position += 1 }

    func error() -> PyException { .syntax(line: line) }

    mutating func accept(_ op: String) -> Bool {
        if current == .op(op) { advance(); return true }
        return false
    }

    mutating func expect(_ op: String) throws(PyException) {
        guard accept(op) else { throw error() }
    }

    mutating func expectName() throws(PyException) -> String {
        guard case .name(let n)? = current else { throw error() }
        advance()
        return n
    }

    mutating func dottedName() throws(PyException) -> String {
        var name = try expectName()
        while accept(".") { name += "." + (try expectName()) }
        return name
    }

    mutating func statements() throws(PyException) -> [PyStatement] {
        var out: [PyStatement] = []
        while current != nil {
            out.append(try statement())
            if current == nil { break }
            try expect(";")
        }
        return out
    }

    mutating func statement() throws(PyException) -> PyStatement {
        if case .name(let word)? = current {
            if PyParser.blockKeywords.contains(word) {
                position = tokens.count
                return .unsupported(word)
            }
            switch word {
            case "pass":
                advance()
                return .pass
            case "import":
                advance()
                var modules: [(module: String, alias: String)] = []
                repeat {
                    let module = try dottedName()
                    var alias = String(module.prefix { $0 != "." })
                    if current == .name("as") { advance(); alias = try expectName() }
                    modules.append((module, alias))
                } while accept(",")
                return .importModules(modules)
            case "from":
                advance()
                let module = try dottedName()
                guard current == .name("import") else { throw error() }
                advance()
                if accept("*") { return .fromImport(module: module, names: [("*", "*")]) }
                let parenthesised = accept("(")
                var names: [(name: String, alias: String)] = []
                repeat {
                    let name = try expectName()
                    var alias = name
                    if current == .name("as") { advance(); alias = try expectName() }
                    names.append((name, alias))
                } while accept(",") && !(parenthesised && current == .op(")"))
                if parenthesised { try expect(")") }
                return .fromImport(module: module, names: names)
            default:
                if position + 1 < tokens.count, tokens[position + 1] == .op("=") {
                    advance()
                    advance()
                    return .assign(word, try expressionList())
                }
            }
        }
        return .expression(try expressionList())
    }

    /// `a, b` → tuple.
    mutating func expressionList() throws(PyException) -> PyExpr {
        let first = try expression()
        guard current == .op(",") else { return first }
        var items = [first]
        while accept(",") {
            if current == nil || current == .op(";") { break }
            items.append(try expression())
        }
        return .tuple(items)
    }

    mutating func expression() throws(PyException) -> PyExpr {
        let left = try arithmetic()
        for op in ["==", "!=", "<", ">", "<=", ">="] where current == .op(op) {
            advance()
            return .binary(op, left, try arithmetic())
        }
        return left
    }

    mutating func arithmetic() throws(PyException) -> PyExpr {
        var left = try term()
        while true {
            if accept("+") { left = .binary("+", left, try term()) }
            else if accept("-") { left = .binary("-", left, try term()) }
            else { return left }
        }
    }

    mutating func term() throws(PyException) -> PyExpr {
        var left = try factor()
        while true {
            var matched = false
            for op in ["*", "/", "//", "%"] where current == .op(op) {
                advance()
                left = .binary(op, left, try factor())
                matched = true
                break
            }
            if !matched { return left }
        }
    }

    mutating func factor() throws(PyException) -> PyExpr {
        if accept("-") { return .unary("-", try factor()) }
        if accept("+") { return .unary("+", try factor()) }
        let base = try postfix()
        if accept("**") { return .binary("**", base, try factor()) }
        return base
    }

    mutating func postfix() throws(PyException) -> PyExpr {
        var expr = try atom()
        while true {
            if accept(".") {
                expr = .attribute(expr, try expectName())
            } else if accept("(") {
                var args: [PyExpr] = []
                var keywords: [String: PyExpr] = [:]
                while !accept(")") {
                    if case .name(let n)? = current, position + 1 < tokens.count, tokens[position + 1] == .op("=") {
                        advance()
                        advance()
                        keywords[n] = try expression()
                    } else {
                        guard keywords.isEmpty else { throw error() }
                        args.append(try expression())
                    }
                    if !accept(",") {
                        try expect(")")
                        break
                    }
                }
                expr = .call(expr, args, keywords)
            } else if accept("[") {
                let index = try expression()
                try expect("]")
                expr = .index(expr, index)
            } else {
                return expr
            }
        }
    }

    mutating func atom() throws(PyException) -> PyExpr {
        guard let token = current else { throw error() }
        advance()
        switch token {
        case .int(let i): return .literal(.int(i))
        case .float(let d): return .literal(.float(d))
        case .string(var s):
            while case .string(let more)? = current { s += more; advance() }
            return .literal(.str(s))
        case .name(let n):
            if PyParser.blockKeywords.contains(n) || ["import", "from", "pass", "as", "in", "is", "not", "and", "or"].contains(n) {
                throw error()
            }
            return .name(n)
        case .op("("):
            if accept(")") { return .tuple([]) }
            let first = try expression()
            if accept(")") { return first }
            var items = [first]
            while accept(",") {
                if current == .op(")") { break }
                items.append(try expression())
            }
            try expect(")")
            return .tuple(items)
        case .op("["):
            var items: [PyExpr] = []
            while !accept("]") {
                items.append(try expression())
                if !accept(",") {
                    try expect("]")
                    break
                }
            }
            return .list(items)
        default:
            throw error()
        }
    }
}
