public import HPOSearchSpace

/// STATUS_REPLY (coordinator -> `hpo status`): where a study stands.
public struct StudyStatus: Sendable, Hashable {
    /// The best finished trial so far.
    ///
    /// Encodable as the `best` of the `hpo status --json` document (docs/json.md, *status best*: keys `trial`,
    /// `value`, `parameters`); the wire codec writes STATUS_REPLY by hand (`trial_id`, docs/protocol.md).
    public struct BestTrial: Sendable, Hashable, Encodable {
        /// The trial's id; ≥ 0.
        public var trialID: Int
        /// Its objective value (finite).
        public var value: Double
        /// Its hyperparameters.
        public var parameters: Assignment

        public init(trialID: Int, value: Double, parameters: Assignment) {
            self.trialID = trialID
            self.value = value
            self.parameters = parameters
        }

        enum CodingKeys: String, CodingKey {
            case trialID = "trial", value, parameters
        }
    }

    /// One connected worker.
    public struct Worker: Sendable, Hashable {
        /// Its `--name` (the routing id `name.pid.xxxx` without `.pid.xxxx`); nil from an older coordinator.
        public var name: String?
        /// Its host name.
        public var host: String
        /// Its process id; ≥ 1.
        public var pid: Int
        /// The attempts it runs now.
        public var running: [TrialKey]
        /// Time since the coordinator last heard from it; ≥ 0, sent in seconds.
        public var lastSeen: Duration
        /// The BLAS kernels it announced in READY; nil when it did not.
        public var blasKernels: String?
        /// Trials it runs at once, as announced in READY (`running` may list more while it ends cancelled
        /// attempts); nil from an older coordinator.
        public var slots: Int?

        public init(
            host: String, pid: Int, running: [TrialKey], lastSeen: Duration, name: String? = nil, blasKernels: String? = nil,
            slots: Int? = nil
        ) {
            self.slots = slots
            self.name = name
            self.host = host
            self.pid = pid
            self.running = running
            self.lastSeen = lastSeen
            self.blasKernels = blasKernels
        }
    }

    /// The study's name.
    public var study: String
    /// `"maximize"` or `"minimize"`.
    public var direction: String
    /// Trials finished with a value; ≥ 0.
    public var completed: Int
    /// Attempts running on workers now; ≥ 0.
    public var running: Int
    /// Trials that failed for good (after their retries); ≥ 0.
    public var failed: Int
    /// Trials the pruner stopped early (they count toward the budget, as completed ones do); ≥ 0; nil from a
    /// coordinator too old to say.
    public var pruned: Int?
    /// The trial budget, or `nil` when only wall time limits the study; ≥ 1.
    public var budget: Int?
    /// Time since the study started (or resumed); ≥ 0, sent in seconds.
    public var elapsed: Duration
    /// The best trial so far, if any finished.
    public var best: BestTrial?
    /// The live workers.
    public var workers: [Worker]
    /// True once the study stopped proposing trials (budget, wall time or failure limit reached).
    public var finished: Bool

    public init(
        study: String, direction: String, completed: Int, running: Int, failed: Int, budget: Int?,
        elapsed: Duration, best: BestTrial?, workers: [Worker], finished: Bool, pruned: Int? = nil
    ) {
        self.pruned = pruned
        self.study = study
        self.direction = direction
        self.completed = completed
        self.running = running
        self.failed = failed
        self.budget = budget
        self.elapsed = elapsed
        self.best = best
        self.workers = workers
        self.finished = finished
    }
}
