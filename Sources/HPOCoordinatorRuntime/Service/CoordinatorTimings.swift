/// Per-trial timings the coordinator records when `CoordinatorServiceOptions.recordTimings` is on (benchmarks).
public struct CoordinatorTimings: Sendable {
    /// For each RESULT handled: the time the coordinator spent on the batch it arrived in, from the poll wake-up
    /// to the last send (decode, state machine, journal commit, next dispatch). The coordinator's own overhead.
    public var overheadPerResult: [Duration] = []
    /// For each RESULT: its batch's processing time divided by the RESULTs in the batch (amortized cost per trial).
    public var amortizedOverheadPerResult: [Duration] = []
    /// For each RESULT: the time from sending its TRIAL to receiving the RESULT (worker + network + queueing).
    public var roundTrips: [Duration] = []
    /// Sum of the trial durations the workers reported (their busy time).
    public var workerBusy: Duration = .zero
    /// From the first TRIAL sent to the last RESULT received.
    public var span: Duration = .zero
    /// Sum over workers of the time from the first TRIAL sent to it to its last RESULT (excludes start-up skew and
    /// the idle tail when the budget runs out).
    public var workerSpans: Duration = .zero
    /// Journal appends and the events they held.
    public var journalAppends = 0
    public var journalEvents = 0

    public init() {}
}
