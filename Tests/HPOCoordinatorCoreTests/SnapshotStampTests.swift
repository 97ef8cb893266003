import HPOCoordinatorCore
import HPOOptimizer
import HPOWire
import Testing

/// The snapshot's stamp: the runtime republishes the snapshot (a copy of every running trial) only when it moved.
/// That equal stamps mean equal snapshots is also checked after every event of the fuzzer (`CoreFuzzer.feed`).
@Suite struct SnapshotStampTests {
    /// Two workers each running a trial, with the queue filled.
    private func twoRunning() -> Harness {
        var harness = Harness { $0.trialBudget = 10 }
        harness.send(.start)
        for worker in ["a", "b"] {
            harness.join(worker)
            harness.answerProposals()
        }
        return harness
    }

    @Test func heartbeatsAndTicksOfBusyWorkersLeaveTheStampAndTheSnapshotAlone() {
        var harness = twoRunning()
        let stamp = harness.machine.snapshotStamp
        let snapshot = harness.machine.snapshot
        #expect(snapshot.runningTrials.map(\.trial.rawValue) == [0, 1])
        var sentHeartbeats = 0
        for _ in 0..<6 {
            harness.heartbeat("a", trial: 0)
            harness.heartbeat("b", trial: 1)
            for case .send(_, .heartbeat) in harness.advance(.milliseconds(500)) { sentHeartbeats += 1 }
        }
        // The coordinator heartbeated both workers meanwhile (each send moved a clock, none the stamp).
        #expect(sentHeartbeats >= 4)
        #expect(harness.machine.snapshotStamp == stamp)
        #expect(harness.machine.snapshot == snapshot)
    }

    @Test func progressResultsJoinsAndStopsMoveTheStamp() {
        var harness = twoRunning()
        var stamp = harness.machine.snapshotStamp

        harness.send(.message(from: WorkerID("a"), .progress(TrialProgress(trialID: 0, attempt: 1, step: 3, value: 0.25))))
        #expect(harness.machine.snapshotStamp != stamp)
        #expect(harness.machine.snapshot.runningTrials.first?.value == 0.25)
        stamp = harness.machine.snapshotStamp

        harness.complete("b", trial: 1, value: 0.5)
        #expect(harness.machine.snapshotStamp != stamp)
        #expect(harness.machine.snapshot.completed == 1)
        stamp = harness.machine.snapshotStamp

        harness.ready("c")
        #expect(harness.machine.snapshotStamp != stamp)
        #expect(harness.machine.snapshot.liveWorkers == 3)
        stamp = harness.machine.snapshotStamp

        harness.send(.stopRequested(immediately: false))
        #expect(harness.machine.snapshotStamp != stamp)
        #expect(harness.machine.snapshot.isStopping)
    }
}
