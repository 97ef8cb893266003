public import HPOWire

/// How the coordinator's state machine runs a study: budget, batching, liveness and retries.
///
/// The runtime fills it from the study file and the command line; the state machine never reads a file.
public struct CoordinatorConfiguration: Sendable, Hashable {
    /// How proposals are batched.
    public enum BatchMode: String, Sendable, Hashable, Codable {
        /// Fill each idle worker at once; every running trial is pending (constant liar) when asking.
        case async
        /// Ask a whole batch, wait until every trial of it finished, then tell the results in trial order and ask
        /// the next batch. With a seed the sequence of trials does not depend on timing or on the worker count.
        case sync
    }

    /// The objective each trial runs (sent with every TRIAL message); a worker must list its kind.
    public var objective: ObjectiveDescriptor
    /// Trials to complete (failed trials do not count; the optimizer proposes a replacement). Default 100;
    /// nil when only the wall time limits the study.
    public var trialBudget: Int? = 100
    /// The study stops as failed once this many trials failed for good. Default: no limit (`Int.max`).
    public var maxFailures: Int = Int.max
    /// Wall-time budget of one session (measured from `start`); when spent, running trials are cancelled (they
    /// are re-queued in the journal, so a `--resume` runs them) and the session ends. `nil` means none. Default `nil`.
    public var wallTime: Duration? = nil
    /// Async (default) or sync batches.
    public var batchMode: BatchMode = .async
    /// Sync mode: trials per batch. `nil` uses the slots of the live workers when a batch is asked (so pass it
    /// explicitly to make a seeded study independent of the worker count). Default `nil`.
    public var syncBatchSize: Int? = nil
    /// Async mode: proposals kept ready beyond the free slots of the idle workers, so a worker that finishes never
    /// waits for the optimizer. Default 1.
    public var prefetch: Int = 1
    /// Expected time between two messages of a live worker (workers heartbeat at this interval); the coordinator
    /// heartbeats a worker less often, see ``coordinatorHeartbeatInterval``. Default 2 s.
    public var heartbeatInterval: Duration = .seconds(2)
    /// Missed intervals before a silent worker is declared lost (its trial is re-queued). Default 5, so a worker is
    /// lost after 10 s of silence: a loaded shared machine stalls processes for seconds (docs/coordinator.md).
    public var liveness: Int = 5
    /// Times a trial is re-queued after its worker was lost (crashed, silent, disconnected while running it)
    /// before it is failed. A worker that stops the trial because it is shutting down uses no retry. Default 2.
    public var retries: Int = 2
    /// Async mode: the most proposals asked for at once (however many workers are idle), so a flood of READYs
    /// cannot make the optimizer compute a huge batch. Default 256.
    public var maxProposalsPerAsk: Int = 256
    /// The most worker records kept at once: a READY from a new peer beyond it gets ERROR `too_many_workers` and no
    /// record. Records of lost and left workers are removed after `retiredRecordGrace`. Default 10,000.
    public var maxWorkers: Int = 10_000
    /// How long the record of a lost, left or incompatible worker is kept (so a late message from it is recognised
    /// and a stalled worker can be re-adopted) before it is removed. Default 60 s.
    public var retiredRecordGrace: Duration = .seconds(60)
    /// The longest one attempt may run, counted from its TRIAL's send; past it the coordinator cancels the attempt
    /// and re-queues the trial using a retry (failing it once its retries are spent), so a peer that takes a trial
    /// and only heartbeats cannot hold the study open. `nil` means no limit. The runtime sets it to the objective's
    /// `timeout` + its `grace_period` + `leaseTimeout` when the objective has a timeout. Default `nil`.
    public var attemptTimeout: Duration? = nil
    /// The most enqueued trials (ENQUEUE requests and the study file's `enqueue:`) held at once that have not been
    /// dispatched yet; an ENQUEUE beyond it gets ERROR `enqueue_limit`. A trial budget bounds them too. Default 1,000.
    public var maxEnqueuedTrials: Int = 1_000
    /// On a stop request (SIGINT/SIGTERM): cancel running trials (`true`) or let them finish (`false`, default).
    public var cancelRunningOnStop: Bool = false

    /// The early-stopping rule (study file `pruner:`). Default `.none`.
    public var pruner: PrunerSettings = .none
    /// What the optimizer is told about a pruned trial. Default `.lastValue` (docs/gaussian-process.md).
    public var prunedTrials: PrunedTrialTreatment = .lastValue
    /// Journal rows per attempt beyond which only the steps the pruner judges are journaled. Default 1,000.
    public var progressRowsPerAttempt: Int = 1_000
    /// Rows per attempt journaled however fast their steps arrive. Default 100.
    public var progressDenseRows: Int = 100
    /// Past `progressDenseRows`, the least time between two journaled PROGRESS rows of one attempt that the pruner
    /// does not judge; faster steps are coalesced. Default 10 ms.
    public var progressMinInterval: Duration = .milliseconds(10)

    /// A configuration with defaults for everything but the objective.
    public init(objective: ObjectiveDescriptor) {
        self.objective = objective
    }

    /// What the objective's data loader read (rows, features, classes, label column, split), journaled with the
    /// session's start so `hpo show` can tell how the data was read; nil when unknown. Default nil.
    public var dataSummary: String? = nil

    /// Silence after which a worker is lost: `heartbeatInterval × liveness`.
    public var leaseTimeout: Duration { heartbeatInterval * liveness }

    /// How long the coordinator sends a live worker nothing before it sends it a HEARTBEAT: half the lease timeout,
    /// at least one `heartbeatInterval`, and at most ``maxCoordinatorHeartbeatSilence`` unless the interval is longer
    /// (5 s with the defaults). The worker needs the coordinator's HEARTBEAT only to reconcile, not to stay alive:
    /// docs/protocol.md, *Heartbeats and liveness*.
    public var coordinatorHeartbeatInterval: Duration {
        max(heartbeatInterval, min(leaseTimeout / 2, Self.maxCoordinatorHeartbeatSilence))
    }

    /// The longest the coordinator leaves a worker without a message when the heartbeat interval is shorter: 20 s, a
    /// third of a worker's default `--coordinator-timeout` (60 s), after which the worker exits.
    public static let maxCoordinatorHeartbeatSilence: Duration = .seconds(20)
}
