public import HPOOptimizer
public import HPOWire

/// Decides which PROGRESS reports become journal rows, so a study's learning curves stay bounded
/// (docs/coordinator.md, *Learning curves*).
///
/// A report of an attempt is journaled when its step is past the attempt's last journaled step (at most one row
/// per step; repeated or earlier steps are dropped) and either the pruner judges that step (those rows are always
/// kept: the pruner's state is rebuilt from them on resume) or the attempt has fewer than `maxRows` rows and either
/// fewer than `denseRows` rows or at least `minInterval` passed since its last row (past the first `denseRows`,
/// steps arriving faster are coalesced: the next one that arrives later is journaled; the trial's final value is in
/// its result anyway).
public struct ProgressCoalescer: Sendable {
    /// What is known of one attempt's journaled curve.
    struct Curve: Sendable {
        var lastStep: Int
        var lastAt: ContinuousClock.Instant?
        var rows: Int
    }

    /// Rows per attempt beyond which only judged steps are journaled.
    public let maxRows: Int
    /// Least time between two unjudged rows of one attempt once it has `denseRows` rows.
    public let minInterval: Duration
    /// Rows per attempt journaled however fast they arrive.
    public let denseRows: Int
    private var curves: [TrialKey: Curve] = [:]

    public init(maxRows: Int, minInterval: Duration, denseRows: Int) {
        self.maxRows = maxRows
        self.minInterval = minInterval
        self.denseRows = denseRows
    }

    /// Whether a report of `key` at `step` is journaled; records it if so.
    ///
    /// - Parameter judged: whether the pruner judges this step.
    public mutating func admit(_ key: TrialKey, step: Int, judged: Bool, now: ContinuousClock.Instant) -> Bool {
        if let curve = curves[key] {
            guard step > curve.lastStep else { return false }
            if !judged {
                guard curve.rows < maxRows else { return false }
                if curve.rows >= denseRows, let lastAt = curve.lastAt, now - lastAt < minInterval { return false }
            }
        }
        curves[key, default: Curve(lastStep: step, lastAt: nil, rows: 0)].lastStep = step
        curves[key]?.lastAt = now
        curves[key]?.rows += 1
        return true
    }

    /// A row read back from the journal (replay): the attempt continues after it, with no time known.
    public mutating func replayed(_ key: TrialKey, step: Int) {
        let rows = (curves[key]?.rows ?? 0) + 1
        curves[key] = Curve(lastStep: max(step, curves[key]?.lastStep ?? step), lastAt: nil, rows: rows)
    }

    /// Forgets the attempts of a finished trial (`attempts` = its highest attempt).
    public mutating func forget(_ trial: TrialID, attempts: Int) {
        guard attempts > 0 else { return }
        for attempt in 1...attempts { curves[TrialKey(trial: trial, attempt: attempt)] = nil }
    }

    /// Attempts tracked (for invariant checks and benchmarks).
    public var count: Int { curves.count }
}
