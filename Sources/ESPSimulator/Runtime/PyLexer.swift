/// A token of the REPL's tiny Python subset.
enum PyToken: Equatable {
    case name(String)
    case int(Int)
    case float(Double)
    case string(String)
    case op(String)
}

/// Splits one physical line (comment already allowed) into tokens; raises `SyntaxError` on anything it cannot read.
enum PyLexer {
    static let operators = ["**", "//", "==", "!=", "<=", ">=", "(", ")", "[", "]", ",", ".", "=", ";", ":", "+", "-", "*", "/", "%", "<", ">"]

    static func tokenize(_ line: String, lineNumber: Int) throws(PyException) -> [PyToken] {
        let chars = Array(line.unicodeScalars)
        var tokens: [PyToken] = []
        var i = 0
        func isNameStart(_ c: Unicode.Scalar) -> Bool { c == "_" || (c.value < 128 && c.properties.isAlphabetic) }
        func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\t" { i += 1; continue }
            if c == "#" { break }
            // string literal, optional b/r prefix
            var prefixLength = 0
            if (c == "b" || c == "r" || c == "B" || c == "R"), i + 1 < chars.count, chars[i + 1] == "'" || chars[i + 1] == "\"" {
                prefixLength = 1
            }
            let quoteIndex = i + prefixLength
            if quoteIndex < chars.count, chars[quoteIndex] == "'" || chars[quoteIndex] == "\"" {
                let raw = prefixLength == 1 && (c == "r" || c == "R")
                let quote = chars[quoteIndex]
                var j = quoteIndex + 1
                var text = String.UnicodeScalarView()
                var closed = false
                while j < chars.count {
                    let d = chars[j]
                    if d == quote { closed = true; j += 1; break }
                    if d == "\\" && !raw && j + 1 < chars.count {
                        let e = chars[j + 1]
                        switch e {
                        case "n": text.append("\n")
                        case "r": text.append("\r")
                        case "t": text.append("\t")
                        case "0": text.append("\0")
                        case "\\", "'", "\"": text.append(e)
                        default: text.append("\\"); text.append(e)
                        }
                        j += 2
                        continue
                    }
                    text.append(d)
                    j += 1
                }
                guard closed else { throw .syntax(line: lineNumber) }
                tokens.append(.string(String(text)))
                i = j
                continue
            }
            if isNameStart(c) {
                var j = i
                while j < chars.count, isNameStart(chars[j]) || isDigit(chars[j]) { j += 1 }
                tokens.append(.name(String(String.UnicodeScalarView(chars[i..<j]))))
                i = j
                continue
            }
            if isDigit(c) || (c == "." && i + 1 < chars.count && isDigit(chars[i + 1])) {
                var j = i
                if c == "0", j + 1 < chars.count, chars[j + 1] == "x" || chars[j + 1] == "X" {
                    j += 2
                    while j < chars.count, chars[j].properties.isASCIIHexDigit { j += 1 }
                    let digits = String(String.UnicodeScalarView(chars[(i + 2)..<j]))
                    guard let value = Int(digits, radix: 16) else { throw .syntax(line: lineNumber) }
                    tokens.append(.int(value))
                    i = j
                    continue
                }
                var isFloat = false
                while j < chars.count, isDigit(chars[j]) || chars[j] == "." || chars[j] == "_" {
                    if chars[j] == "." { isFloat = true }
                    j += 1
                }
                if j < chars.count, chars[j] == "e" || chars[j] == "E" {
                    isFloat = true
                    j += 1
                    if j < chars.count, chars[j] == "+" || chars[j] == "-" { j += 1 }
                    while j < chars.count, isDigit(chars[j]) { j += 1 }
                }
                let text = String(String.UnicodeScalarView(chars[i..<j])).replacingUnderscores()
                if j < chars.count, isNameStart(chars[j]) { throw .syntax(line: lineNumber) }
                if isFloat {
                    guard let value = Double(text) else { throw .syntax(line: lineNumber) }
                    tokens.append(.float(value))
                } else {
                    guard let value = Int(text) else {
                        throw PyException.notEmulated("integers beyond 64 bits")
                    }
                    tokens.append(.int(value))
                }
                i = j
                continue
            }
            var matched = false
            for op in operators {
                let scalars = Array(op.unicodeScalars)
                if i + scalars.count <= chars.count, Array(chars[i..<(i + scalars.count)]) == scalars {
                    tokens.append(.op(op))
                    i += scalars.count
                    matched = true
                    break
                }
            }
            if !matched { throw .syntax(line: lineNumber) }
        }
        return tokens
    }
}

private extension String {
    func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}
