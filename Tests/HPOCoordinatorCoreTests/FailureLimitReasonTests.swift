import HPOCoordinatorCore
import HPOOptimizer
import HPOWire
import Testing

/// `budget.max_failures = N` fails exactly N trials: nothing is dispatched in the instant the limit is reached, and
/// a cancelled attempt that answers `failed` is re-queued, not counted (issue #12).
@Suite struct FailureLimitReasonTests {
    @Test func aFailureArrivingWhileStoppingLeavesTheReasonAndTheCountConsistent() throws {
        var harness = Harness.running(["a", "b", "c"], handshake: false) { $0.maxFailures = 2; $0.trialBudget = 10 }
        harness.report("a", trial: 0, .failed(reason: "exit status 3"))
        harness.report("b", trial: 1, .failed(reason: "exit status 3"))
        // The limit is reached; "c"'s trial was cancelled, and it answers `failed` (the cancel killed it).
        harness.report("c", trial: 2, .failed(reason: "exit status 143"))
        let summary = try #require(harness.summary)
        #expect(summary.state == .failed)
        #expect(summary.failed == 2)
        #expect(summary.unfinished == summary.trials.count - 2)
        #expect(summary.reason.contains("budget.max_failures = 2"))
        #expect(harness.machine.trials[TrialID(rawValue: 2)]?.phase == .queued)
    }

    @Test func exactlyMaxFailuresTrialsFailAndNoTrialIsDispatchedWhenTheLimitIsReached() throws {
        // A prefetched trial waits in the queue.
        var harness = Harness.running(["a", "b", "c"], prefetched: 1, handshake: false) { $0.maxFailures = 10; $0.trialBudget = 100 }
        var failures = 0
        var last: [CoordinatorAction] = []
        while harness.summary == nil && failures < 10 {
            let running = harness.machine.workers[WorkerID("a")]?.leasedAttempts.first
            let key = try #require(running)
            last = harness.report("a", trial: key.trial.rawValue, attempt: key.attempt, .failed(reason: "diverged"))
            failures += 1
            harness.answerProposals()
        }
        #expect(failures == 10)
        // The tenth failure freed "a" and a trial was queued, yet nothing was sent to it: only the stop's CANCELs.
        #expect(!Harness.messages(last, to: "a").contains { if case .trial = $0 { true } else { false } })
        #expect(harness.dispatched(to: "a").count == 10)
        harness.report("b", trial: 1, .failed(reason: "killed by the cancel"))
        harness.report("c", trial: 2, .stopped(reason: "cancelled"))
        let summary = try #require(harness.summary)
        #expect(summary.failed == 10)
        #expect(summary.state == .failed)
    }
}
