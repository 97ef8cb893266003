extension JournalFold.Trial {
    /// Where a reader of the journal (`hpo show`, `hpo report`, `hpo export`) shows a trial.
    public enum ShownState: String, Sendable, Hashable {
        /// Waiting for a worker, including a trial left running by an ended session (re-queued on resume).
        case queued
        case running, completed, failed
    }

    /// The state readers show.
    public var shownState: ShownState {
        switch state {
        case .queued: .queued
        case .running: leftRunningBySessionEnd ? .queued : .running
        case .completed: .completed
        case .failed: .failed
        }
    }

    /// The objective's value when completed.
    public var value: Double? {
        if case .completed(let value) = state { return value }
        return nil
    }
}
