import HPOOptimizer
public import HPOSearchSpace

extension CoordinatorStateMachine {
    /// Queues trials with the given parameters ahead of any proposal (a study file's `enqueue:`), before `.start`.
    ///
    /// An assignment equal to the parameters of a trial the machine already knows (from the journal) is skipped, so
    /// the study file's list is queued once however often the study is resumed. New trials take the ids after the
    /// highest known one; they are journaled (`trialProposed`) right after the session's `studyStarted`, and wait
    /// in the queue behind trials already queued (re-queued ones first), before any new proposal.
    ///
    /// - Parameter assignments: assignments that passed `space.validate` (canonical form, so equality is exact).
    /// - Returns: the trials created, in order; the caller registers each with the optimizer as pending.
    /// - Precondition: `.start` was not handled yet.
    public mutating func enqueue(_ assignments: [Assignment]) -> [ReplayedTrial] {
        precondition(startedAt == nil, "CoordinatorStateMachine.enqueue: call it before .start")
        var known = Set(trials.values.map(\.parameters))
        var next = (trials.keys.map(\.rawValue).max() ?? -1) + 1
        var created: [ReplayedTrial] = []
        for assignment in assignments where known.insert(assignment).inserted {
            let id = TrialID(next)
            next += 1
            trials[id] = TrialRecord(id: id, parameters: assignment)
            queue.append(id)
            enqueues.queued.append(id)
            if configuration.batchMode == .sync {
                currentBatch.insert(id)
            }
            enqueuedBeforeStart.append(.trialProposed(trial: id, parameters: assignment))
            created.append(ReplayedTrial(id: id, parameters: assignment, outcome: nil))
        }
        return created
    }
}
