public import HPOWire

/// The `hpo.status` document (docs/json.md): a running study's progress as its coordinator answered
/// `hpo status --json`.
public struct StatusDocument: Encodable, Sendable {
    /// One attempt a worker runs.
    public struct Attempt: Encodable, Sendable {
        public var trial: Int
        public var attempt: Int
    }

    /// One live worker.
    public struct Worker: Encodable, Sendable {
        /// Its `--name`; null when the coordinator could not tell it.
        @JSONNullable public var name: String? = nil
        public var host: String
        public var pid: Int
        public var running: [Attempt]
        /// Seconds since the coordinator last heard from it.
        public var lastSeenSeconds: Double
        /// The BLAS kernels it announced; null when it did not.
        @JSONNullable public var blasKernels: String? = nil
        /// Trials it runs at once (its `--slots`); null from a coordinator too old to say.
        @JSONNullable public var slots: Int? = nil

        enum CodingKeys: String, CodingKey {
            case name, host, pid, running, slots
            case lastSeenSeconds = "last_seen_seconds", blasKernels = "blas_kernels"
        }
    }

    public var schema = JSONOutput.schema("status")
    public var study: String
    public var direction: String
    public var completed, running, failed: Int
    /// Trials the pruner stopped early; null from a coordinator too old to say.
    @JSONNullable public var pruned: Int? = nil
    /// Null when only the wall time limits the study.
    @JSONNullable public var trialBudget: Int? = nil
    /// Seconds since the study started (or resumed).
    public var elapsedSeconds: Double
    /// Whether the study stopped proposing trials.
    public var finished: Bool
    /// The best trial so far: the trial keys `trial`, `value` and `parameters` (the coordinator sends no more).
    @JSONNullable public var best: StudyStatus.BestTrial? = nil
    public var liveWorkers: Int
    public var workers: [Worker]

    public init(_ status: StudyStatus) {
        study = status.study
        direction = status.direction
        completed = status.completed
        running = status.running
        failed = status.failed
        pruned = status.pruned
        trialBudget = status.budget
        elapsedSeconds = Self.seconds(status.elapsed)
        finished = status.finished
        best = status.best
        liveWorkers = status.workers.count
        workers = status.workers.map { worker in
            Worker(
                name: worker.name, host: worker.host, pid: worker.pid,
                running: worker.running.map { Attempt(trial: $0.trialID, attempt: $0.attempt) },
                lastSeenSeconds: Self.seconds(worker.lastSeen), blasKernels: worker.blasKernels, slots: worker.slots)
        }
    }

    /// `duration` in seconds.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    enum CodingKeys: String, CodingKey {
        case schema, study, direction, completed, running, failed, pruned, finished, best, workers
        case trialBudget = "trial_budget", elapsedSeconds = "elapsed_seconds", liveWorkers = "live_workers"
    }

}
