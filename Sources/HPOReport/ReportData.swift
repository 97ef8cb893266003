/// Everything the report shows, gathered by the runtime from a journal (this module reads no file).
public struct ReportData: Sendable {
    /// A tuned parameter.
    public struct Parameter: Sendable, Hashable {
        /// How its values are laid out on an axis.
        public enum Axis: Sendable, Hashable {
            /// A numeric range (log-scaled when `log`).
            case numeric(low: Double, high: Double, log: Bool)
            /// Named choices, in declared order.
            case categories([String])
        }

        public var name: String
        public var axis: Axis

        public init(name: String, axis: Axis) {
            self.name = name
            self.axis = axis
        }
    }

    /// A parameter's value in one trial.
    public enum Value: Sendable, Hashable {
        case number(Double)
        case text(String)
    }

    /// One trial.
    public struct Trial: Sendable, Hashable {
        /// Where it ended up.
        public enum State: String, Sendable, Hashable {
            case completed, failed, pruned, running, queued
        }

        /// One intermediate value.
        public struct Step: Sendable, Hashable {
            public var step: Int
            public var value: Double

            public init(step: Int, value: Double) {
                self.step = step
                self.value = value
            }
        }

        /// One attempt as a bar on the worker timeline.
        public struct Run: Sendable, Hashable {
            /// The worker's name.
            public var worker: String
            /// Seconds since the study's first event.
            public var start: Double
            /// Seconds since the study's first event; nil while it runs.
            public var end: Double?
            /// How the attempt ended: `completed`, `failed`, `pruned`, `requeued` (its worker was lost) or `running`.
            public var outcome: String

            public init(worker: String, start: Double, end: Double?, outcome: String) {
                self.worker = worker
                self.start = start
                self.end = end
                self.outcome = outcome
            }
        }

        public var id: Int
        public var state: State
        public var parameters: [String: Value]
        /// The objective's value (completed trials).
        public var value: Double?
        /// Seconds since the study's first event when it ended (completed, failed or pruned).
        public var finishedAt: Double?
        /// Intermediate values in step order.
        public var curve: [Step]
        /// Its attempts, in order.
        public var runs: [Run]
        /// Why it failed or was pruned.
        public var reason: String?

        public init(
            id: Int, state: State, parameters: [String: Value], value: Double?, finishedAt: Double?, curve: [Step] = [],
            runs: [Run] = [], reason: String? = nil
        ) {
            self.id = id
            self.state = state
            self.parameters = parameters
            self.value = value
            self.finishedAt = finishedAt
            self.curve = curve
            self.runs = runs
            self.reason = reason
        }
    }

    /// A worker lost (its attempt re-queued) or leaving, for the timeline.
    public struct WorkerEvent: Sendable, Hashable {
        public var worker: String
        /// Seconds since the study's first event.
        public var time: Double
        /// `lost` or `left`.
        public var kind: String

        public init(worker: String, time: Double, kind: String) {
            self.worker = worker
            self.time = time
            self.kind = kind
        }
    }

    /// The study's name.
    public var title: String
    /// Whether larger values are better.
    public var maximize: Bool
    /// The objective's name (e.g. `accuracy`).
    public var metric: String
    public var parameters: [Parameter]
    /// Every trial, by id.
    public var trials: [Trial]
    /// Relative importance per parameter (sums to 1), and how it was computed; empty when unknown.
    public var importance: [(name: String, weight: Double)]
    public var importanceMethod: String
    public var workerEvents: [WorkerEvent]
    /// Settings shown as a table (key, value), e.g. optimizer, budget, objective.
    public var settings: [(key: String, value: String)]
    /// Warnings shown at the top (e.g. a best value on a bound of its range).
    public var warnings: [String]
    /// The hpo version that wrote the report.
    public var version: String

    public init(
        title: String, maximize: Bool, metric: String, parameters: [Parameter], trials: [Trial],
        importance: [(name: String, weight: Double)] = [], importanceMethod: String = "", workerEvents: [WorkerEvent] = [],
        settings: [(key: String, value: String)] = [], warnings: [String] = [], version: String
    ) {
        self.title = title
        self.maximize = maximize
        self.metric = metric
        self.parameters = parameters
        self.trials = trials
        self.importance = importance
        self.importanceMethod = importanceMethod
        self.workerEvents = workerEvents
        self.settings = settings
        self.warnings = warnings
        self.version = version
    }

    /// Completed trials with a value, in id order.
    public var completed: [Trial] { trials.filter { $0.state == .completed && $0.value != nil } }

    /// Whether `a` is better than `b` under the study's direction.
    public func isBetter(_ a: Double, than b: Double) -> Bool { maximize ? a > b : a < b }

    /// The best completed trial (the first completed wins ties: earlier `finishedAt`, then lower id).
    public var best: Trial? {
        var best: Trial?
        let byFinish = completed.enumerated().sorted {
            ($0.element.finishedAt ?? .infinity, $0.offset) < ($1.element.finishedAt ?? .infinity, $1.offset)
        }
        for trial in byFinish.map(\.element) {
            if let incumbent = best?.value, !isBetter(trial.value!, than: incumbent) { continue }
            best = trial
        }
        return best
    }
}
