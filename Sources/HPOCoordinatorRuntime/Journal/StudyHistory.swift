public import Foundation
public import HPOCoordinatorCore
public import HPOOptimizer
public import HPOSearchSpace

/// A study's trials as its journal tells them, for `hpo show`: a fold over the events, independent of the
/// coordinator (it reads a journal that is still being written just as well as a finished one).
public struct StudyHistory: Sendable {
    /// One trial and how it went.
    public struct Trial: Sendable, Hashable {
        /// Where the trial stands: as every reader of the journal shows it.
        public typealias State = JournalFold.Trial.ShownState

        /// The trial's id.
        public var id: Int
        /// Where it stands.
        public var state: State
        /// Its hyperparameters.
        public var parameters: Assignment
        /// The objective's value, when completed; the last judged intermediate value, when pruned.
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
        /// The printed id of the worker that ran its latest attempt; nil before the first dispatch.
        public var worker: String? = nil
    }

    /// The study's name (from its first session), if the journal has a start event.
    public var name: String?
    /// Whether larger or smaller values are better.
    public var direction: Direction
    /// The search space, if known (fixes the column order of parameters).
    public var space: SearchSpace?
    /// The trial budget of the latest session.
    public var trialBudget: Int?
    /// What the data loader read, as the latest session that recorded it journaled it (rows, features, classes,
    /// label column, split); nil when unknown.
    public var data: String?
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
    /// Ids of the finished (completed or failed) trials in the order the journal finished them; ``best`` breaks ties
    /// by it.
    public var finishOrder: [Int] = []

    /// Folds `entries` (in journal order) into trials with ``JournalFold``, the fold the coordinator's replay uses,
    /// adding the times the journal store keeps per entry. An event naming a trial that was never proposed (a
    /// damaged journal) is skipped, so what can be shown is shown.
    public init(entries: [JournalEntry<JournalEvent>]) {
        let fold = JournalFold(entries: entries)
        let latest = fold.sessions.last
        self.name = fold.sessions.first?.name
        self.direction = latest?.direction ?? .maximize
        self.space = latest?.space
        self.trialBudget = latest?.trialBudget
        self.data = fold.sessions.last { $0.data != nil }?.data
        self.sessions = fold.sessions.count
        self.finished = fold.finished.map { ($0.state, $0.reason) }
        self.workers = fold.workers
        self.trials = fold.trialsInOrder.map { trial in
            Trial(
                id: trial.id.rawValue, state: trial.shownState,
                parameters: trial.parameters, value: trial.value, metrics: trial.metrics,
                attempts: trial.attempts, durationSeconds: trial.durationSeconds, reason: trial.reason,
                progressStep: trial.progressStep, progressValue: trial.progressValue,
                proposedAt: Date(timeIntervalSince1970: trial.proposedAt ?? 0),
                finishedAt: trial.finishedAt.map(Date.init(timeIntervalSince1970:)),
                worker: trial.worker?.description)
        }
        self.eventCount = entries.count
        self.finishOrder = fold.finishOrder.map(\.rawValue)
    }

    /// Reads the journal at `path` read-only (safe while a coordinator writes it).
    ///
    /// - Throws: ``CoordinatorError`` if the file is missing, corrupt, not a journal, or its events do not decode.
    public static func load(journalPath path: String) throws(CoordinatorError) -> StudyHistory {
        StudyHistory(entries: try JournalStore<JournalEvent>(path: path, mode: .readOnly).readAll())
    }

    /// The best completed trial under ``direction``; on ties the first to complete wins (as in the coordinator).
    public var best: Trial? {
        let index = Dictionary(uniqueKeysWithValues: trials.indices.map { (trials[$0].id, $0) })
        var best: Trial?
        for trial in finishOrder.compactMap({ index[$0].map { trials[$0] } }) where trial.state == .completed {
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
