extension JournalFold.Trial {
    /// Where a reader of the journal (`hpo show`, `hpo report`, `hpo export`) shows a trial.
    public enum ShownState: String, Sendable, Hashable {
        /// Waiting for a worker, including a trial left running by an ended session (re-queued on resume).
        case queued
        case running, completed, failed
        /// Stopped early by the pruner; its value is the last judged intermediate value.
        case pruned
    }

    /// The state readers show.
    public var shownState: ShownState {
        switch state {
        case .queued: .queued
        case .running: leftRunningBySessionEnd ? .queued : .running
        case .completed: .completed
        case .failed: .failed
        case .pruned: .pruned
        }
    }

    /// The objective's value when completed; the last judged intermediate value when pruned.
    ///
    /// Not inlined: Swift 6.3.1's optimizer crashes ("Found outside of lifetime use?!", CopyPropagation) when this
    /// switch is inlined into `OptunaJournalExport.text` in a release build.
    public var value: Double? {
        @inline(never) get {
            switch state {
            case .completed(let value): value
            case .pruned(_, let value): value
            default: nil
            }
        }
    }
}
