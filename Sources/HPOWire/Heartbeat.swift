/// HEARTBEAT (both ways): "I am alive". Any message counts as one; this one is sent when nothing else was
/// sent for a heartbeat interval.
public struct Heartbeat: Sendable, Hashable {
    /// From a worker: the attempts it is running (empty when idle), so the coordinator can renew their leases,
    /// adopt the ones awaiting adoption and cancel the ones it does not expect. From the coordinator: the attempts
    /// whose leases it thinks the worker holds, in trial order, so the worker resends a lost RESULT or reports at
    /// once an attempt it never received.
    public var running: [TrialKey]
    /// From the coordinator: the identity of its study (its answer to READY carries it, so a pinned worker can leave
    /// before any TRIAL). From a worker: nil.
    public var study: String?

    public init(running: [TrialKey] = [], study: String? = nil) {
        self.running = running
        self.study = study
    }
}
