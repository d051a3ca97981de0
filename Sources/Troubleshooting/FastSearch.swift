extension String {
    /// Substring search on the UTF-8 bytes: the rules search lower-cased text for ASCII phrases
    /// thousands of times, and the generic Collection search is far slower on 1 MiB pastes.
    /// UTF-8 is self-synchronising, so a byte match of a valid UTF-8 needle is a real match.
    func contains(_ needle: String) -> Bool { utf8Offset(of: needle) != nil }

    /// The UTF-8 offset where `needle` first starts, at or after `start`.
    func utf8Offset(of needle: String, from start: Int = 0) -> Int? {
        var haystack = self
        var needle = needle
        haystack.makeContiguousUTF8()
        needle.makeContiguousUTF8()
        return haystack.utf8.withContiguousStorageIfAvailable { hay in
            needle.utf8.withContiguousStorageIfAvailable { pin -> Int? in
                let n = pin.count, h = hay.count
                guard n > 0 else { return start <= h ? start : nil }
                guard h >= n, start <= h - n else { return nil }
                let first = pin[0]
                var i = start
                while i <= h - n {
                    if hay[i] == first {
                        var j = 1
                        while j < n && hay[i + j] == pin[j] { j += 1 }
                        if j == n { return i }
                    }
                    i += 1
                }
                return nil
            } ?? nil
        } ?? nil
    }

    /// The part after the first `marker`, or nil.
    func after(_ marker: String) -> Substring? {
        guard let offset = utf8Offset(of: marker) else { return nil }
        let index = utf8.index(utf8.startIndex, offsetBy: offset + marker.utf8.count)
        return self[index...]
    }
}
