/// Searches a firmware's bytes for the C strings the runtime needs (banner, SDK version, help text).
struct FlashStrings {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Offsets where `needle` occurs.
    func offsets(of needle: String) -> [Int] {
        let n = Array(needle.utf8)
        guard let first = n.first, bytes.count >= n.count else { return [] }
        var found: [Int] = []
        bytes.withUnsafeBufferPointer { hay in
            let last = hay.count - n.count
            var i = 0
            while i <= last {
                if hay[i] == first {
                    var j = 1
                    while j < n.count && hay[i + j] == n[j] { j += 1 }
                    if j == n.count { found.append(i) }
                }
                i += 1
            }
        }
        return found
    }

    /// Whether `needle` occurs anywhere.
    func contains(_ needle: String) -> Bool { !offsets(of: needle).isEmpty }

    /// The printable text from `offset` up to the next NUL, CR or LF (nil if a non-printable byte comes first).
    func line(at offset: Int) -> String? {
        var end = offset
        while end < bytes.count {
            let b = bytes[end]
            if b == 0 || b == 0x0D || b == 0x0A { break }
            guard b >= 0x20 && b < 0x7F else { return nil }
            end += 1
        }
        return String(decoding: bytes[offset..<end], as: UTF8.self)
    }

    /// The C string that starts with `prefix`, up to its NUL. With `alignedToStart` the match must also begin a
    /// string (offset 0 or right after a NUL); without it, text glued to preceding data (e.g. after a pointer table) counts.
    func nulTerminatedString(startingWith prefix: String, alignedToStart: Bool = true) -> String? {
        for offset in offsets(of: prefix) where !alignedToStart || offset == 0 || bytes[offset - 1] == 0 {
            var end = offset
            while end < bytes.count && bytes[end] != 0 { end += 1 }
            return String(decoding: bytes[offset..<end], as: UTF8.self)
        }
        return nil
    }

    /// `MicroPython v<digit>… on …; …`. Newer builds keep "name and version" and the machine text apart;
    /// then the machine string (`… with ESP8266`) is looked up separately and joined with `; `.
    func microPythonBanner() -> String? {
        banner(prefix: "MicroPython v", versionStartsWithDigit: true)
    }

    /// `Adafruit CircuitPython <digit>… on …; …`.
    func circuitPythonBanner() -> String? {
        banner(prefix: "Adafruit CircuitPython ", versionStartsWithDigit: true)
    }

    private func banner(prefix: String, versionStartsWithDigit: Bool) -> String? {
        for offset in offsets(of: prefix) {
            let next = offset + prefix.utf8.count
            guard next < bytes.count, (0x30...0x39).contains(bytes[next]) else { continue }
            guard let text = line(at: offset), text.contains(" on ") else { continue }
            if text.contains("; ") { return text }
            if let machine = machineString() { return text + "; " + machine }
        }
        return nil
    }

    /// A C string ending in ` with ESP8266` (the `MICROPY_BANNER_MACHINE` of newer builds).
    private func machineString() -> String? {
        for offset in offsets(of: " with ESP8266") {
            var start = offset
            while start > 0 && bytes[start - 1] >= 0x20 && bytes[start - 1] < 0x7F { start -= 1 }
            guard start == 0 || bytes[start - 1] == 0, let text = line(at: start) else { continue }
            return text.hasPrefix("; ") ? String(text.dropFirst(2)) : text
        }
        return nil
    }

    /// The NONOS SDK version string, e.g. `2.0.0(5a875ba)` or `2.2.0-dev(9422289)`.
    func sdkVersion() -> String? {
        // Candidates start after a NUL with "<digit>.", and look like "<d>.<d>.<d>[-x](<hex>)".
        var i = 1
        while i < bytes.count - 8 {
            if bytes[i - 1] == 0, (0x30...0x39).contains(bytes[i]), bytes[i + 1] == 0x2E {
                var end = i
                while end < bytes.count && bytes[end] != 0 && end - i < 40 { end += 1 }
                if end < bytes.count, bytes[end] == 0 {
                    let text = String(decoding: bytes[i..<end], as: UTF8.self)
                    if Self.looksLikeSDKVersion(text) { return text }
                }
            }
            i += 1
        }
        return nil
    }

    static func looksLikeSDKVersion(_ text: String) -> Bool {
        guard text.hasSuffix(")"), let open = text.firstIndex(of: "(") else { return false }
        let numbers = text[..<open].prefix { $0 != "-" }
        let parts = numbers.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else { return false }
        let hash = text[text.index(after: open)..<text.index(before: text.endIndex)]
        return hash.count >= 6 && hash.allSatisfy(\.isHexDigit)
    }
}
