extension JournalFold {
    /// One attempt of a trial as the journal tells it: from its dispatch (or adoption) to its result, re-queue or the
    /// end of its session. Times are those given to ``JournalFold/apply(_:at:)``.
    public struct Run: Sendable, Hashable {
        /// How an attempt ended.
        public enum Outcome: String, Sendable, Hashable {
            /// It has not ended (as far as the journal knows).
            case running
            case completed, failed
            /// The pruner stopped it early (`trialPruned`).
            case pruned
            /// Its worker was lost or left, or its session ended, and the trial went back to the queue.
            case requeued
        }

        /// The attempt number (1 for the first).
        public var attempt: Int
        public var worker: WorkerID
        public var start: Double
        /// Nil while it runs.
        public var end: Double?
        public var outcome: Outcome = .running
    }

    /// A worker that was declared lost (`lost`) or left, at `time`.
    public struct Retirement: Sendable, Hashable {
        public var worker: WorkerID
        public var time: Double
        public var lost: Bool
    }
}

extension JournalFold.Trial {
    /// Opens the run of `attempt`, ending an open one as re-queued; a new attempt starts a new learning curve, while
    /// an adoption of the same attempt keeps it.
    mutating func startRun(attempt: Int, worker: WorkerID, at time: Double) {
        if let last = runs.last, last.end == nil, last.attempt == attempt, last.worker == worker { return }
        endRun(.requeued, at: time)
        if runs.last?.attempt != attempt { curve = [:] }
        runs.append(JournalFold.Run(attempt: attempt, worker: worker, start: time))
    }

    /// Records the trial's first end (`state`, its open run ended as `outcome` at `time`, `attempt` counted); a later
    /// one, such as a result repeated after a restart, changes nothing.
    ///
    /// - Returns: whether this was the first end.
    mutating func finish(
        _ state: JournalFold.Trial.State, run outcome: JournalFold.Run.Outcome, attempt: Int, at time: Double
    ) -> Bool {
        guard !isFinished else { return false }
        self.state = state
        endRun(outcome, at: time)
        attempts = max(attempts, attempt)
        leftRunningBySessionEnd = false
        return true
    }

    /// Ends the open run (if any) with `outcome` at `time`.
    mutating func endRun(_ outcome: JournalFold.Run.Outcome, at time: Double) {
        guard let last = runs.indices.last, runs[last].end == nil else { return }
        runs[last].end = time
        runs[last].outcome = outcome
    }
}
