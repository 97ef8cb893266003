public import Foundation
public import HPOCoordinatorCore
public import HPOOptimizer
public import HPOSearchSpace

/// A study's trials as its journal tells them, for `hpo show`: a fold over the events, independent of the
/// coordinator (it reads a journal that is still being written just as well as a finished one).
public struct StudyHistory: Sendable {
    /// One trial and how it went.
    public struct Trial: Sendable, Hashable {
        /// Where the trial stands.
        public enum State: String, Sendable, Hashable, Codable {
            case queued, running, completed, failed
        }

        /// The trial's id.
        public var id: Int
        /// Where it stands.
        public var state: State
        /// Its hyperparameters.
        public var parameters: Assignment
        /// The objective's value, when completed.
        public var value: Double?
        /// Extra metrics reported with the value.
        public var metrics: [String: Double]
        /// Attempts dispatched so far.
        public var attempts: Int
        /// Seconds the completing worker spent on it, when completed.
        public var durationSeconds: Double?
        /// Why it failed (or why its last attempt was re-queued).
        public var reason: String?
        /// The step of the last intermediate value reported, if any.
        public var progressStep: Int?
        /// The last intermediate value reported, if any.
        public var progressValue: Double?
        /// When it was proposed.
        public var proposedAt: Date
        /// When it completed or failed.
        public var finishedAt: Date?
    }

    /// The study's name (from its first session), if the journal has a start event.
    public var name: String?
    /// Whether larger or smaller values are better.
    public var direction: Direction
    /// The search space, if known (fixes the column order of parameters).
    public var space: SearchSpace?
    /// The trial budget of the latest session.
    public var trialBudget: Int?
    /// Sessions started (1 + resumes).
    public var sessions: Int
    /// How the latest session ended, if it did.
    public var finished: (state: StudyState, reason: String)?
    /// Workers that joined, by printed id.
    public var workers: Set<String>
    /// Every trial, by id.
    public var trials: [Trial]
    /// Events read.
    public var eventCount: Int

    /// Folds `entries` (in journal order) into trials.
    public init(entries: [JournalEntry<JournalEvent>]) {
        var name: String?
        var direction = Direction.maximize
        var space: SearchSpace?
        var budget: Int?
        var sessions = 0
        var finished: (StudyState, String)?
        var workers = Set<String>()
        var trials: [Int: Trial] = [:]
        for entry in entries {
            switch entry.event {
            case .studyStarted(let studyName, _, let studyDirection, let studySpace, _, let trialBudget):
                name = name ?? studyName
                direction = studyDirection
                space = studySpace
                budget = trialBudget
                sessions += 1
                finished = nil
            case .trialProposed(let trial, let parameters):
                trials[trial.rawValue] = Trial(
                    id: trial.rawValue, state: .queued, parameters: parameters, value: nil, metrics: [:], attempts: 0,
                    durationSeconds: nil, reason: nil, proposedAt: entry.time, finishedAt: nil
                )
            case .trialDispatched(let trial, let attempt, _), .trialAdopted(let trial, let attempt, _):
                let attempts = max(trials[trial.rawValue]?.attempts ?? 0, attempt)
                trials[trial.rawValue]?.state = .running
                trials[trial.rawValue]?.attempts = attempts
            case .trialProgress(let trial, _, let step, let value):
                trials[trial.rawValue]?.progressStep = step
                trials[trial.rawValue]?.progressValue = value
            case .trialCompleted(let trial, _, let value, let metrics, let duration):
                trials[trial.rawValue]?.state = .completed
                trials[trial.rawValue]?.value = value
                trials[trial.rawValue]?.metrics = metrics
                trials[trial.rawValue]?.durationSeconds = duration
                trials[trial.rawValue]?.finishedAt = entry.time
            case .trialFailed(let trial, _, let reason):
                trials[trial.rawValue]?.state = .failed
                trials[trial.rawValue]?.reason = reason
                trials[trial.rawValue]?.finishedAt = entry.time
            case .trialRequeued(let trial, _, _, let reason):
                trials[trial.rawValue]?.state = .queued
                trials[trial.rawValue]?.reason = reason
            case .workerJoined(let worker, _, _, _):
                workers.insert(worker.description)
            case .workerLeft, .workerLost:
                break
            case .studyFinished(let state, let reason):
                finished = (state, reason)
                // Trials still running when a session ended are re-queued on resume.
                for id in Array(trials.keys) where trials[id]?.state == .running { trials[id]?.state = .queued }
            }
        }
        self.name = name
        self.direction = direction
        self.space = space
        self.trialBudget = budget
        self.sessions = sessions
        self.finished = finished
        self.workers = workers
        self.trials = trials.keys.sorted().compactMap { trials[$0] }
        self.eventCount = entries.count
    }

    /// Reads the journal at `path` read-only (safe while a coordinator writes it).
    ///
    /// - Throws: ``JournalError`` if the file is missing, corrupt, not a journal, or its events do not decode.
    public static func load(journalPath path: String) throws(JournalError) -> StudyHistory {
        StudyHistory(entries: try JournalStore<JournalEvent>(path: path, mode: .readOnly).readAll())
    }

    /// The best completed trial under ``direction`` (the earliest on ties).
    public var best: Trial? {
        var best: Trial?
        for trial in trials where trial.state == .completed {
            guard let value = trial.value else { continue }
            if let incumbent = best?.value, !direction.isBetter(value, than: incumbent) { continue }
            best = trial
        }
        return best
    }

    /// The number of trials in `state`.
    public func count(_ state: Trial.State) -> Int {
        trials.reduce(0) { $0 + ($1.state == state ? 1 : 0) }
    }

    /// Parameter names in column order: the space's order, then any others sorted.
    public var parameterNames: [String] {
        let declared = space?.names ?? []
        let others = Set(trials.flatMap(\.parameters.keys)).subtracting(declared).sorted()
        return declared + others
    }
}
