import HPOOptimizer
import HPOWire

extension CoordinatorStateMachine {
    /// The journal could not be written: undo what the lost events recorded, then end the study as failed, so the
    /// summary counts only what was committed (a `--resume` continues from there).
    mutating func journalFailed(
        reason: String, lost: [JournalEvent], now: ContinuousClock.Instant, output: inout ActionBuffer
    ) {
        for event in lost.reversed() {
            switch event {
            case .trialProposed(let id, _):
                if case .leased(let worker, let attempt, _) = trials[id]?.phase {
                    release(TrialKey(trial: id, attempt: attempt), on: worker)
                }
                trials[id] = nil
                queue.removeAll { $0 == id }
                currentBatch.remove(id)
            case .trialCompleted(let id, _, _, _, _), .trialFailed(let id, _, _), .trialPruned(let id, _, _, _, _):
                // Unfinished again: the journal never recorded its end.
                guard trials[id]?.isFinished == true else { continue }
                trials[id]?.phase = .queued
                if !queue.contains(id) { queue.append(id) }
            default:
                break
            }
        }
        output.log(.error, "the journal append failed: \(reason)", [:])
        finish(
            state: .failed, reason: "the journal could not be written (\(reason)); fix the disk and --resume",
            now: now, output: &output)
    }
}
