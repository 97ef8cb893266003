/// Everything a ``StudySnapshot`` is computed from, in four words: two machines with equal stamps (one machine at two
/// moments) have equal snapshots, so the runtime rebuilds the snapshot, a copy of every running trial, only when the
/// stamp moved (a study whose workers only heartbeat changes none of it).
public struct SnapshotStamp: Sendable, Hashable {
    /// ``TrialTable/revision``: counts, best and running trials.
    public var trials: UInt64
    /// Trials waiting in the queue.
    public var queued: Int
    /// Live workers that can run the study's objective.
    public var liveWorkers: Int
    /// Whether the study is winding down.
    public var isStopping: Bool
}
