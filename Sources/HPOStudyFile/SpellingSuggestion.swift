/// "Did you mean …?" for a misspelt key or option: the known word within two edits, if any.
package enum SpellingSuggestion {
    /// The known word closest to `word` (Levenshtein distance ≤ 2), or nil.
    static func closest(to word: String, in known: some Sequence<String>) -> String? {
        let scored = known.map { ($0, editDistance(Array(word), Array($0))) }
        guard let best = scored.min(by: { ($0.1, $0.0) < ($1.1, $1.0) }), best.1 <= 2 else { return nil }
        return best.0
    }

    /// `; did you mean "x"?` for the closest word, or an empty string.
    package static func hint(for word: String, in known: some Sequence<String>) -> String {
        closest(to: word, in: known).map { "; did you mean \"\($0)\"?" } ?? ""
    }

    /// The Levenshtein distance between `a` and `b`.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
