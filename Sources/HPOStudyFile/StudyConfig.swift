public import HPOCoordinatorCore
public import HPOOptimizer
public import HPOSearchSpace
public import HPOWire

/// A study as described by its YAML file (`hpo run study.yaml`); see `examples/*.yaml` and
/// `StudyConfig+Loading.swift` for every key.
public struct StudyConfig: Sendable, Hashable {
    /// `name`: the study's name (letters, digits, `_`, `-`, `.`); required. Names the journal by default.
    public var name: String
    /// `direction`: whether larger or smaller `metric` values are better; default `.maximize`.
    public var direction: Direction
    /// `metric`: the name of the value the objective reports and the study optimizes; default `"accuracy"`.
    public var metric: String
    /// `space`: the hyperparameters (mapping name -> spec, or a list with `name:` keys); required, declared order kept.
    public var space: SearchSpace
    /// `optimizer`: how trials are proposed.
    public var optimizer: OptimizerSettings
    /// `budget`: when the study stops.
    public var budget: BudgetSettings
    /// `objective`: what each trial runs; `kind` plus the kind's own options (validated by `ObjectiveFactory`).
    public var objective: ObjectiveDescriptor
    /// `transport`: the coordinator's ZeroMQ endpoints.
    public var transport: TransportSettings
    /// `heartbeat`: liveness checking between coordinator and workers.
    public var heartbeat: HeartbeatSettings
    /// `retries`: how many times a trial whose worker was lost (crashed, went silent, disconnected) is run again; a
    /// trial whose objective failed is not retried (the failure is data, told to the optimizer), and a trial whose
    /// worker left cleanly (SIGTERM: it reports `stopped`) or whose TRIAL was never delivered is re-queued without
    /// using a retry; ≥ 0, default 2.
    public var retries: Int
    /// `journal`: the SQLite journal's path; default `<name>.db` next to the study file. Relative paths are
    /// resolved against the study file's directory.
    public var journalPath: String
    /// What the mlp objective's data loader read (rows, features, classes, label column, split), when the study file
    /// was loaded for local workers and the data checked; nil otherwise. Printed by `hpo run` at start-up.
    public var dataSummary: String?
    /// `pruner`: the early-stopping rule (`StudyConfig+Pruner.swift`, docs/study-file.md); default none.
    public var pruner: PrunerSettings = .none
    /// `pruner.pruned_trials`: what the optimizer is told about a pruned trial; default `.lastValue`.
    public var prunedTrials: PrunedTrialTreatment = .lastValue
    /// `enqueue`: trials to run before any proposal, each a full assignment checked against ``space`` (fixed
    /// parameters filled in); default none. Queued once: entries whose parameters the journal already holds are not
    /// queued again on `--resume`.
    public var enqueue: [Assignment] = []

    public init(
        name: String, direction: Direction = .maximize, metric: String = "accuracy", space: SearchSpace,
        optimizer: OptimizerSettings = OptimizerSettings(), budget: BudgetSettings, objective: ObjectiveDescriptor,
        transport: TransportSettings = TransportSettings(), heartbeat: HeartbeatSettings = HeartbeatSettings(),
        retries: Int = 2, journalPath: String
    ) {
        self.name = name
        self.direction = direction
        self.metric = metric
        self.space = space
        self.optimizer = optimizer
        self.budget = budget
        self.objective = objective
        self.transport = transport
        self.heartbeat = heartbeat
        self.retries = retries
        self.journalPath = journalPath
    }
}

extension StudyConfig {
    /// `optimizer:` — how trials are proposed.
    public struct OptimizerSettings: Sendable, Hashable {
        /// `kind`: `gp` (Bayesian optimization) or `random`; default `gp`.
        public enum Kind: String, Sendable, Hashable, CaseIterable { case gp, random }
        /// `acquisition`: `logei` (log expected improvement) or `ucb` (upper confidence bound, −μ + 1·σ); default:
        /// the optimizer's (`BayesianOptimizerOptions`: UCB, chosen by benchmark — see `BayesianOptimizer`).
        public enum Acquisition: String, Sendable, Hashable, CaseIterable { case logei, ucb }
        /// `lie`: the value assumed for running trials when proposing a batch (constant liar). `best`, `mean` or
        /// `worst` of the values seen so far, relative to the direction; or by value, `min` or `max`. Default `best`
        /// (chosen by benchmark — see `BayesianOptimizer`). `fantasies` (with `acquisition: logei` only): no single
        /// value, log EI averaged over ``fantasyCount`` joint draws of the running trials' values.
        public enum Lie: String, Sendable, Hashable, CaseIterable { case best, mean, worst, min, max, fantasies }
        /// How many joint draws `lie: fantasies` averages over.
        public static let fantasyCount = 16
        /// `batch_mode`: `async` proposes a trial whenever a worker is free; `sync` waits for a whole batch
        /// (one per worker) to finish before proposing the next; default `async`.
        public enum BatchMode: String, Sendable, Hashable, CaseIterable { case async, sync }

        /// `kind`, default `.gp`.
        public var kind: Kind
        /// `startup_trials`: random (Sobol) trials before the GP takes over; ≥ 1, default `nil` meaning
        /// ``defaultStartupTrials(dimensionCount:)``.
        public var startupTrials: Int?
        /// `acquisition`, default `nil`: the optimizer's default.
        public var acquisition: Acquisition?
        /// `lie`, default `.best`.
        public var lie: Lie
        /// `seed`: seeds every random choice of the optimizer; default 0, so a study file gives the same proposals
        /// every run.
        public var seed: UInt64
        /// `batch_mode`, default `.async`.
        public var batchMode: BatchMode
        /// `warm_start`: the journal of another study whose finished trials that fit ``StudyConfig/space`` are
        /// told to the optimizer before it proposes (the rest are skipped and counted); resolved against the study
        /// file's directory; default `nil`.
        public var warmStart: String?

        public init(
            kind: Kind = .gp, startupTrials: Int? = nil, acquisition: Acquisition? = nil, lie: Lie = .best,
            seed: UInt64 = 0, batchMode: BatchMode = .async
        ) {
            self.kind = kind
            self.startupTrials = startupTrials
            self.acquisition = acquisition
            self.lie = lie
            self.seed = seed
            self.batchMode = batchMode
        }

        /// The default number of startup trials for `d` unit-cube dimensions: the optimizer's own,
        /// `min(10, max(4, d + 1))` (`BayesianOptimizerOptions.initialTrialCount`), the setting its regret
        /// benchmarks were measured with (the model also waits for 2 completed trials).
        public static func defaultStartupTrials(dimensionCount: Int) -> Int {
            BayesianOptimizerOptions().initialTrialCount(dimension: dimensionCount)
        }

        /// ``startupTrials`` or the default for `dimensionCount`.
        public func resolvedStartupTrials(dimensionCount: Int) -> Int {
            startupTrials ?? Self.defaultStartupTrials(dimensionCount: dimensionCount)
        }
    }

    /// `budget:` — when the study stops; at least one of `trials` and `wall_time` is required.
    public struct BudgetSettings: Sendable, Hashable {
        /// `trials`: trials to complete (failed ones do not count); ≥ 1; `nil` when only wall time limits the study.
        public var trials: Int?
        /// `max_failures`: the study stops with an error after this many trials failed for good; ≥ 1, default
        /// `nil` meaning ``defaultMaxFailures``.
        public var maxFailures: Int?
        /// `wall_time`: per session, the study stops after this long (e.g. `"90s"`, `"10m"`, `"1h30m"`): running trials are
        /// cancelled and re-queued in the journal (a `--resume` runs them); `nil` = no limit.
        public var wallTime: Duration?
        /// `trial_timeout`: the longest one attempt may run; past it (plus one lease timeout for the RESULT to
        /// arrive) the coordinator cancels the attempt and re-queues the trial, using a retry, whatever the worker
        /// says; `nil` = no limit (a `command` objective's own `timeout` still applies).
        public var trialTimeout: Duration?

        public init(trials: Int? = nil, maxFailures: Int? = nil, wallTime: Duration? = nil, trialTimeout: Duration? = nil) {
            self.trials = trials
            self.maxFailures = maxFailures
            self.wallTime = wallTime
            self.trialTimeout = trialTimeout
        }

        /// The default failure limit: `max(10, trials / 5)`, or 10 without a trial budget: enough to ride out
        /// occasional crashes, small enough that a broken objective stops the study early.
        public var defaultMaxFailures: Int { max(10, (trials ?? 0) / 5) }

        /// ``maxFailures`` or ``defaultMaxFailures``.
        public var resolvedMaxFailures: Int { maxFailures ?? defaultMaxFailures }
    }

    /// `transport:` — where the coordinator listens and workers connect.
    public struct TransportSettings: Sendable, Hashable {
        /// `bind`: the coordinator's ROUTER endpoint; default `tcp://127.0.0.1:*` (loopback, an ephemeral port
        /// chosen by the system). Use `tcp://*:5555` to accept remote workers.
        public var bind: String
        /// `connect`: the endpoint workers connect to, when it differs from `bind` (e.g. `tcp://head-node:5555`
        /// for a bind on `tcp://*:5555`); default `nil` = the bound endpoint.
        public var connect: String?

        public init(bind: String = "tcp://127.0.0.1:*", connect: String? = nil) {
            self.bind = bind
            self.connect = connect
        }
    }

    /// `heartbeat:` — a peer silent for `interval × liveness` is considered dead.
    public struct HeartbeatSettings: Sendable, Hashable {
        /// `interval`: how often each side sends a heartbeat when otherwise silent; > 0, default 2 s.
        public var interval: Duration
        /// `liveness`: intervals of silence before a peer is dead; ≥ 1, default 5 (so 10 s: a busy shared
        /// machine stalls a process for seconds; docs/coordinator.md, *Liveness defaults*).
        public var liveness: Int

        public init(interval: Duration = .seconds(2), liveness: Int = 5) {
            self.interval = interval
            self.liveness = liveness
        }

        /// `interval × liveness`: the silence after which a peer is dead.
        public var timeout: Duration { interval * liveness }
    }
}
