/// HEARTBEAT (both ways): "I am alive". Any message counts as one; this one is sent when nothing else was
/// sent for a heartbeat interval.
public struct Heartbeat: Sendable, Hashable {
    /// From a worker: the attempts it is running (empty when idle), so the coordinator can renew their leases
    /// and notice attempts it does not know. From the coordinator: empty.
    public var running: [TrialKey]

    public init(running: [TrialKey] = []) {
        self.running = running
    }
}
