import HPOOptimizer
import HPOSearchSpace

/// What the coordinator holds for ENQUEUE requests (docs/coordinator.md, *Enqueueing trials*): requests checked and
/// waiting for the optimizer's outstanding ask to end, and the enqueued trials still in the queue.
///
/// Bounded: `waiting.count + queued.count` never exceeds `CoordinatorConfiguration.maxEnqueuedTrials` (nor, with
/// a trial budget, the trials the budget has left), so a peer that floods ENQUEUEs is refused, not stored.
struct EnqueueBook: Sendable {
    /// A checked request that waits for the optimizer's outstanding ask to end before it gets its id.
    struct Waiting: Sendable {
        /// Who asked (the reply goes there).
        var peer: WorkerID
        /// Its parameters in canonical form (passed `space.validate`).
        var parameters: Assignment
    }

    /// Requests waiting for the ask to end, oldest first.
    var waiting: [Waiting] = []
    /// Enqueued trials (ENQUEUE or the study file's `enqueue:`) that may still wait in the queue, oldest first;
    /// the dispatched ones are dropped at the next ENQUEUE.
    var queued: [TrialID] = []
    /// No trial this coordinator creates takes an id below this: ids the optimizer holds without the machine
    /// knowing them (warm-start trials) and those of earlier enqueued trials.
    var idFloor = 0

    /// How many enqueued trials are held: waiting plus queued.
    var heldCount: Int { waiting.count + queued.count }
}
