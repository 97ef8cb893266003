import HPOOptimizer
import HPOWire

extension CoordinatorStateMachine {
    /// Cancels every attempt that ran past `attemptTimeout` (counted from its TRIAL's send) and re-queues its trial
    /// with a retry: its worker did not enforce the objective's timeout, and may never answer.
    ///
    /// - Complexity: O(running trials) per tick.
    mutating func expireAttempts(now: ContinuousClock.Instant, output: inout ActionBuffer) {
        guard let limit = configuration.attemptTimeout, !trials.leased.isEmpty else { return }
        for id in trials.leased.sorted() {
            guard let trial = trials[id], case .leased(let worker, let attempt, let since) = trial.phase else { continue }
            let started = trial.sentAt ?? since
            guard now - started > limit else { continue }
            let key = TrialKey(trial: id, attempt: attempt)
            let reason = "\(key) ran past its deadline of \(limit) at the coordinator (the objective's timeout plus a grace period)"
            markCancelling(key, on: worker)
            cancel(key, on: worker, reason: reason, now: now, output: &output)
            requeueOrFail(id, reason: reason, countsAsRetry: true, now: now, output: &output)
        }
    }

    /// Removes the records of workers lost, left or incompatible for longer than `retiredRecordGrace`.
    mutating func removeRetiredWorkers(now: ContinuousClock.Instant, output: inout ActionBuffer) {
        let removed = workers.removeRetired(before: now - configuration.retiredRecordGrace)
        if !removed.isEmpty {
            output.log(.debug, "forgot \(removed.count) workers gone for more than \(configuration.retiredRecordGrace)", [:])
        }
    }
}
