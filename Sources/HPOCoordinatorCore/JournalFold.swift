public import HPOOptimizer
public import HPOSearchSpace
public import HPOWire

/// The one fold of journal events into trial state, shared by the coordinator's replay (`--resume`) and `hpo show`
/// (`StudyHistory`), so the two can never disagree about where a trial stands.
///
/// Pure: events in, state out; no clock, no file. Rules, in journal order:
/// - `trialProposed` creates a queued trial (a repeated proposal of a known id is ignored);
/// - `trialDispatched` / `trialAdopted` raise `attempts` to the attempt and, unless the trial is finished, make it
///   running on that worker; adopting a re-queued attempt gives back the retry its loss used;
/// - `trialCompleted` / `trialFailed` / `trialPruned` finish it; the first result wins (a later one is ignored), which is how the
///   coordinator records results;
/// - `trialRequeued` puts an unfinished trial back in the queue with its `retries` and the reason;
/// - `trialProgress` keeps the last intermediate value;
/// - `studyStarted` counts a session and records its settings; `studyFinished` records how it ended and marks the
///   trials still running as *left running by a finished session* (their worker may still report them after a
///   `--resume`; `hpo show` lists them as queued);
/// - an event naming a trial that was never proposed throws ``ReplayError`` (`unknown_trial`) and changes nothing.
public struct JournalFold: Sendable, Hashable {
    /// One trial as the journal tells it.
    public struct Trial: Sendable, Hashable {
        /// Where the trial stands.
        public enum State: Sendable, Hashable {
            /// Waiting for a worker.
            case queued
            /// Running `attempt` on `worker` (as far as the journal knows).
            case running(worker: WorkerID, attempt: Int)
            /// Finished with `value`.
            case completed(value: Double)
            /// Failed for good.
            case failed(reason: String)
            /// Stopped early by the pruner after `step`, whose value was `value`.
            case pruned(step: Int, value: Double)
        }

        /// The trial's id.
        public var id: TrialID
        /// Its hyperparameters.
        public var parameters: Assignment
        /// Where it stands.
        public var state: State = .queued
        /// The highest attempt dispatched or adopted (0 before the first dispatch).
        public var attempts = 0
        /// Attempts lost with their worker so far (from the last `trialRequeued`).
        public var retries = 0
        /// Extra metrics reported with the value, when completed.
        public var metrics: [String: Double] = [:]
        /// Seconds the completing worker spent on it, when completed.
        public var durationSeconds: Double?
        /// Why it failed, or why its last attempt was re-queued.
        public var reason: String?
        /// The step of the last intermediate value reported, if any.
        public var progressStep: Int?
        /// The last intermediate value reported, if any.
        public var progressValue: Double?
        /// Whether the trial was running when a session finished (and no attempt was dispatched since).
        public var leftRunningBySessionEnd = false
        /// The worker of the latest attempt dispatched or adopted; nil before the first dispatch.
        public var worker: WorkerID?
        /// Every attempt as it ran, in order (``Run``), for timelines.
        public var runs: [Run] = []
        /// The intermediate values of the latest attempt, by step.
        public var curve: [Int: Double] = [:]
        /// When it was proposed and when it finished (completed or failed): the times given to ``apply(_:at:)``.
        public var proposedAt, finishedAt: Double?

        public init(id: TrialID, parameters: Assignment) {
            self.id = id
            self.parameters = parameters
        }

        /// Whether it completed or failed.
        public var isFinished: Bool {
            switch state {
            case .completed, .failed, .pruned: true
            case .queued, .running: false
            }
        }
    }

    /// The settings of one session, from its `studyStarted` event.
    public struct Session: Sendable, Hashable {
        public var name: String
        public var number: Int
        public var direction: Direction
        public var space: SearchSpace
        public var trialBudget: Int?
        /// What the data loader read, when the session journaled it.
        public var data: String?
        /// The objective and its options.
        public var objective: ObjectiveDescriptor? = nil
    }

    /// How a session ended (`studyFinished`).
    public struct Ending: Sendable, Hashable {
        public var state: StudyState
        public var reason: String
    }

    /// What one event changed, for a caller that keeps more per trial than the fold does (e.g. times).
    public enum Effect: Sendable, Hashable {
        /// The trial was proposed (created).
        case proposed(TrialID)
        /// The trial finished (completed or failed) with this event.
        case finished(TrialID)
        /// Another change to a trial, or none.
        case other
    }

    /// The trials by id.
    public private(set) var trials: [TrialID: Trial] = [:]
    /// Every session's settings, in order.
    public private(set) var sessions: [Session] = []
    /// How the latest session ended; nil while it runs (or never started).
    public private(set) var finished: Ending?
    /// Printed ids of the workers that joined.
    public private(set) var workers: Set<String> = []
    /// Events applied.
    public private(set) var eventCount = 0
    /// The finished (completed or failed) trials in the order the journal finished them (ties for best go to the
    /// first).
    public private(set) var finishOrder: [TrialID] = []
    /// Workers declared lost or that left, in journal order, with the time given to ``apply(_:at:)``.
    public private(set) var retirements: [Retirement] = []

    public init() {}

    /// The fold of `events` (in journal order).
    ///
    /// - Throws: ``ReplayError`` at the first event naming an unknown trial.
    public init(_ events: some Sequence<JournalEvent>) throws(ReplayError) {
        for event in events {
            try apply(event)
        }
    }

    /// The trials in id order.
    public var trialsInOrder: [Trial] {
        trials.keys.sorted().compactMap { trials[$0] }
    }

    /// Applies the next event; `time` is when the journal recorded it (seconds since 1970, or any clock the caller
    /// keeps: the fold only stores it in ``Trial/runs``, ``Trial/proposedAt``, ``Trial/finishedAt`` and
    /// ``retirements``).
    ///
    /// - Returns: what it changed.
    /// - Throws: ``ReplayError`` when it names a trial that was never proposed; the fold is unchanged then
    ///   (except ``eventCount``) and the caller may stop (replay) or skip the event (`hpo show`).
    @discardableResult
    public mutating func apply(_ event: JournalEvent, at time: Double = 0) throws(ReplayError) -> Effect {
        let position = eventCount + 1
        // Counted even when it throws, so event numbers stay journal positions for a caller that skips bad events.
        defer { eventCount += 1 }
        func existing(_ id: TrialID) throws(ReplayError) -> Trial {
            guard let trial = trials[id] else {
                throw ReplayError.unknownTrial(eventNumber: position, kind: event.kind, trial: id)
            }
            return trial
        }
        var effect = Effect.other
        switch event {
        case .studyStarted(let name, let session, let direction, let space, let objective, let trialBudget, let data):
            // Journals written before budgets became optional store "no budget" as Int.max.
            let budget = trialBudget == Int.max ? nil : trialBudget
            sessions.append(Session(name: name, number: session, direction: direction, space: space, trialBudget: budget, data: data, objective: objective))
            finished = nil
        case .trialProposed(let id, let parameters):
            if trials[id] == nil {
                trials[id] = Trial(id: id, parameters: parameters)
                trials[id]?.proposedAt = time
                effect = .proposed(id)
            }
        case .trialDispatched(let id, let attempt, let worker), .trialAdopted(let id, let attempt, let worker):
            var trial = try existing(id)
            if case .trialAdopted = event, trial.state == .queued, trial.attempts == attempt {
                // A stalled worker came back with its re-queued attempt: the retry its loss used was given back.
                trial.retries = max(0, trial.retries - 1)
            }
            trial.attempts = max(trial.attempts, attempt)
            if !trial.isFinished {
                trial.startRun(attempt: attempt, worker: worker, at: time)
                trial.worker = worker
                trial.state = .running(worker: worker, attempt: attempt)
                trial.leftRunningBySessionEnd = false
            }
            trials[id] = trial
        case .trialProgress(let id, let attempt, let step, let value):
            var trial = try existing(id)
            trial.progressStep = step
            trial.progressValue = value
            if attempt == trial.runs.last?.attempt { trial.curve[step] = value }
            trials[id] = trial
        case .trialCompleted(let id, let attempt, let value, let metrics, let duration):
            var trial = try existing(id)
            if trial.finish(.completed(value: value), run: .completed, attempt: attempt, at: time) {
                trial.metrics = metrics
                trial.durationSeconds = duration
                effect = .finished(id)
            }
            trials[id] = trial
        case .trialFailed(let id, let attempt, let reason):
            var trial = try existing(id)
            if trial.finish(.failed(reason: reason), run: .failed, attempt: attempt, at: time) {
                trial.reason = reason
                effect = .finished(id)
            }
            trials[id] = trial
        case .trialPruned(let id, let attempt, let step, let value, let reason):
            var trial = try existing(id)
            if trial.finish(.pruned(step: step, value: value), run: .pruned, attempt: attempt, at: time) {
                trial.reason = reason
                effect = .finished(id)
            }
            trials[id] = trial
        case .trialRequeued(let id, _, let retries, let reason):
            var trial = try existing(id)
            if !trial.isFinished {
                trial.state = .queued
                trial.endRun(.requeued, at: time)
                trial.retries = retries
                trial.reason = reason
                trial.leftRunningBySessionEnd = false
            }
            trials[id] = trial
        case .workerJoined(let worker, _, _, _):
            workers.insert(worker.description)
        case .workerLeft(let worker, _):
            retirements.append(Retirement(worker: worker, time: time, lost: false))
        case .workerLost(let worker, _):
            retirements.append(Retirement(worker: worker, time: time, lost: true))
        case .studyFinished(let state, let reason):
            finished = Ending(state: state, reason: reason)
            for (id, trial) in trials {
                if case .running = trial.state {
                    trials[id]?.leftRunningBySessionEnd = true
                    trials[id]?.endRun(.requeued, at: time)
                }
            }
        }
        if case .finished(let id) = effect {
            trials[id]?.finishedAt = time
            finishOrder.append(id)
        }
        return effect
    }

}
