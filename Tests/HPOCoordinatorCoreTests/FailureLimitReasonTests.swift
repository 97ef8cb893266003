import HPOCoordinatorCore
import HPOWire
import Testing

/// The reason a study stopped by `budget.max_failures` gives agrees with the summary's failure count, also when
/// a running trial fails (its RESULT crossing the CANCEL) after the limit was reached.
@Suite struct FailureLimitReasonTests {
    @Test func aFailureArrivingWhileStoppingLeavesTheReasonAndTheCountConsistent() throws {
        var harness = Harness { $0.maxFailures = 2; $0.trialBudget = 10 }
        harness.send(.start)
        for worker in ["a", "b", "c"] {
            harness.ready(worker)
            harness.answerProposals()
        }
        harness.report("a", trial: 0, .failed(reason: "exit status 3"))
        harness.report("b", trial: 1, .failed(reason: "exit status 3"))
        // The limit is reached; "c" had already failed its trial before the CANCEL reached it.
        harness.report("c", trial: 2, .failed(reason: "exit status 3"))
        let summary = try #require(harness.summary)
        #expect(summary.state == .failed)
        #expect(summary.failed == 3)
        #expect(summary.reason.contains("budget.max_failures = 2"))
        #expect(!summary.reason.contains("2 trials failed"), "the headline contradicts \(summary.failed) failed: \(summary.reason)")
    }
}
