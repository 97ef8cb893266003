import HPOWire
import HPOWorkerCore
import Testing

/// PRUNE: the running attempt is asked to stop with a `pruned at step N` reason; anything else is answered as CANCEL.
@Suite struct PruneTests {
    @Test func aRunningAttemptIsStoppedWithAPrunedReason() {
        var worker = WorkerHarness()
        worker.connect()
        worker.trial(4, attempt: 1)
        let actions = worker.receive(.prune(Prune(trialID: 4, attempt: 1, step: 3, reason: "ASHA rung 1 (step 3): …")))
        #expect(actions.contains(.cancel(TrialKey(trialID: 4, attempt: 1), reason: "pruned at step 3: ASHA rung 1 (step 3): …")))
        #expect(actions.sent.isEmpty)   // the RESULT comes when the objective has stopped
    }

    @Test func aPruneForAnAttemptNeverReceivedIsAnsweredStoppedAndAFinishedOneRepeatsItsResult() {
        var worker = WorkerHarness()
        worker.connect()
        let unknown = worker.receive(.prune(Prune(trialID: 9, attempt: 1, step: 1, reason: "median rule")))
        #expect(unknown.sent == [.result(TrialResult(
            trialID: 9, attempt: 1, outcome: .stopped(reason: "never received: pruned at step 1: median rule"), duration: .zero))])
        worker.trial(5)
        let first = worker.finish(5).results
        let again = worker.receive(.prune(Prune(trialID: 5, attempt: 1, step: 2, reason: "late")))
        #expect(again.results == first)
    }
}
