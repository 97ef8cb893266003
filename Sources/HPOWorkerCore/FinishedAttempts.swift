public import HPOWire

/// The RESULTs of recently finished attempts, each held once, in finish order, with the point up to which the
/// coordinator has confirmed them.
///
/// Answers three questions: what to resend after a reconnect (results since the last TRIAL, which may have been
/// lost with the old connection), what to answer a repeated TRIAL or a coordinator HEARTBEAT naming a finished
/// attempt with (its RESULT, never a second run), and nothing older than `capacity` results.
public struct FinishedAttempts: Sendable {
    /// How many results are kept; ≥ 1.
    public let capacity: Int
    private var results: [TrialKey: Entry] = [:]
    /// Keys in finish order; `order[head...]` are the live ones (the prefix is dropped in batches).
    private var order: [TrialKey] = []
    private var head = 0
    private var nextSequence = 0
    /// Results with a sequence below this were sent before the last TRIAL arrived: the coordinator has them.
    private var confirmedBelow = 0

    private struct Entry: Sendable {
        var result: TrialResult
        var sequence: Int
    }

    /// An empty store keeping at most `capacity` results.
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Remembers `result` (as the newest, unconfirmed one), forgetting the oldest beyond `capacity`.
    ///
    /// - Complexity: amortized O(1).
    public mutating func record(_ result: TrialResult) {
        if results[result.key] == nil { order.append(result.key) }
        results[result.key] = Entry(result: result, sequence: nextSequence)
        nextSequence += 1
        while order.count - head > capacity {
            results[order[head]] = nil
            head += 1
        }
        if head > 64 && head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }

    /// The remembered RESULT of `key`, if it finished recently.
    public subscript(key: TrialKey) -> TrialResult? { results[key]?.result }

    /// Marks every result so far as received by the coordinator (a TRIAL arrived after them).
    public mutating func confirmAll() {
        confirmedBelow = nextSequence
    }

    /// The results not yet confirmed, oldest first.
    public var unconfirmed: [TrialResult] {
        order[head...].compactMap { key in
            guard let entry = results[key], entry.sequence >= confirmedBelow else { return nil }
            return entry.result
        }.sorted { results[$0.key]!.sequence < results[$1.key]!.sequence }
    }

    /// How many results are remembered; ≤ `capacity`.
    public var count: Int { results.count }
}
