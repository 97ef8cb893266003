import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
import HPOWire
import Testing

/// The coordinator's own HEARTBEAT: sent to a worker it has sent nothing for half the lease timeout (at least an
/// interval, at most 20 s), and at once when a worker's HEARTBEAT first omits an attempt past its lease timeout, so a
/// lost RESULT is sent again before the "never started" rule releases the attempt (docs/protocol.md, *Heartbeats and
/// liveness*).
@Suite struct CoordinatorHeartbeatTests {
    private static let key0 = TrialKey(trialID: 0, attempt: 1)

    /// The production defaults (2 s × 5): the cadence is 5 s.
    private static func defaults(_ configuration: inout CoordinatorConfiguration) {
        configuration.heartbeatInterval = .seconds(2)
        configuration.liveness = 5
    }

    @Test(arguments: [
        (interval: 2.0, liveness: 5, cadence: 5.0),  // the defaults: half of 10 s
        (interval: 1.0, liveness: 3, cadence: 1.5),
        (interval: 1.0, liveness: 1, cadence: 1.0),  // never more often than the interval
        (interval: 2.0, liveness: 100, cadence: 20.0),  // never sparser than 20 s
        (interval: 30.0, liveness: 5, cadence: 30.0),  // unless the interval itself is longer
    ])
    func theCadenceIsHalfTheLeaseTimeoutWithinOneIntervalAnd20Seconds(interval: Double, liveness: Int, cadence: Double) {
        var configuration = CoordinatorConfiguration(objective: ObjectiveDescriptor(kind: "null", options: [:]))
        configuration.heartbeatInterval = .seconds(interval)
        configuration.liveness = liveness
        #expect(configuration.coordinatorHeartbeatInterval == .seconds(cadence))
    }

    /// Ticks every 0.5 s for `seconds`, letting the worker heartbeat at every even second; returns when (the harness's
    /// clock) the coordinator sent `worker` a HEARTBEAT by itself.
    private static func heartbeatTimes(
        _ harness: inout Harness, to worker: String, for seconds: Int, workerBeats: (inout Harness) -> Void
    ) -> [Duration] {
        var times: [Duration] = []
        for _ in 0..<(seconds * 2) {
            let actions = harness.advance(.milliseconds(500))
            if Harness.messages(actions, to: worker).contains(where: { if case .heartbeat = $0 { true } else { false } }) {
                times.append(harness.elapsed)
            }
            // The worker heartbeats every interval (2 s), as `hpo worker` does.
            if harness.elapsed.components.seconds % 2 == 0, harness.elapsed.components.attoseconds == 0 {
                workerBeats(&harness)
            }
        }
        return times
    }

    @Test func aBusyWorkerThatHeartbeatsEveryIntervalHearsFromTheCoordinatorEveryHalfLeaseTimeout() {
        var harness = Harness.running(["a"], configure: Self.defaults)
        // The TRIAL at 0 s was the last send: HEARTBEATs follow at 5, 10, 15, 20 s (the old cadence sent one every 2 s).
        let times = Self.heartbeatTimes(&harness, to: "a", for: 20) { $0.heartbeat("a", trial: 0) }
        #expect(times == [.seconds(5), .seconds(10), .seconds(15), .seconds(20)])
        #expect(harness.machine.trials[TrialID(rawValue: 0)]?.phase == .leased(worker: WorkerID("a"), attempt: 1, since: harness.origin))
    }

    @Test func anIdleWorkerHearsFromTheCoordinatorEveryHalfLeaseTimeout() {
        // The optimizer has not answered yet: "b" idles.
        var harness = Harness(configure: Self.defaults)
        harness.send(.start)
        harness.join("b")  // the answer to READY (a HEARTBEAT) at 0 s is the last send
        let times = Self.heartbeatTimes(&harness, to: "b", for: 15) { $0.heartbeat("b") }
        #expect(times == [.seconds(5), .seconds(10), .seconds(15)])
    }

    /// The case the cadence alone would lose: a trial that ran longer than the lease timeout, its RESULT lost just
    /// after a periodic HEARTBEAT. The worker's next HEARTBEAT omits the attempt; the coordinator lists it at once, the
    /// worker sends the RESULT again, and it counts. Without the immediate HEARTBEAT the worker's following one (2 s
    /// later) would release the attempt before the next periodic HEARTBEAT (5 s later), and the completed run would
    /// be thrown away.
    @Test func aLostResultIsSentAgainBeforeTheNeverStartedRuleReleasesTheAttempt() throws {
        var harness = Harness.running(["a"], configure: { Self.defaults(&$0); $0.trialBudget = 2 })
        let running = Self.heartbeatTimes(&harness, to: "a", for: 30) { $0.heartbeat("a", trial: 0) }
        #expect(running.last == .seconds(30))
        // 30.5 s: the trial ends; its RESULT is lost. 32.5 s: the worker's next HEARTBEAT names nothing.
        harness.advance(.milliseconds(2_500))
        let omitted = harness.heartbeat("a")
        let listed = Harness.messages(omitted, to: "a").compactMap { message -> [TrialKey]? in
            if case .heartbeat(let heartbeat) = message { return heartbeat.running }
            return nil
        }
        #expect(listed == [[Self.key0]], "the coordinator lists the attempt at once")
        #expect(harness.machine.trials[TrialID(rawValue: 0)]?.phase == .leased(worker: WorkerID("a"), attempt: 1, since: harness.origin))
        // The worker answers that HEARTBEAT with the RESULT it remembers.
        harness.complete("a", trial: 0, value: 0.25)
        #expect(harness.completedTrials == [0])
        #expect(!harness.journal.contains { if case .trialRequeued = $0 { true } else { false } })
        #expect(harness.machine.trials[TrialID(rawValue: 0)]?.summary.attempts == 1)
    }

    /// The other side of the rule: a worker that never got its TRIAL answers the immediate HEARTBEAT by naming what
    /// it runs (nothing); that answer, read within the interval, does not count twice, and the worker's next periodic
    /// HEARTBEAT releases the attempt without a retry, as before.
    @Test func aTrialThatNeverArrivedIsStillReleasedAnIntervalAfterTheFirstOmission() throws {
        var harness = Harness.running(["a"], configure: { Self.defaults(&$0); $0.trialBudget = 2 })
        // The worker's HEARTBEATs omit trial 0 from the start; up to the lease timeout (10 s) they do not count.
        _ = Self.heartbeatTimes(&harness, to: "a", for: 10) { $0.heartbeat("a") }
        #expect(!harness.journal.contains { if case .trialRequeued = $0 { true } else { false } })
        harness.advance(.milliseconds(500))
        let first = harness.heartbeat("a")
        #expect(Harness.messages(first, to: "a") == [.heartbeat(Heartbeat(running: [Self.key0], study: "test"))])
        // The worker answers at once: it does not run trial 0. Not a second report yet (within the interval).
        let answer = harness.heartbeat("a")
        #expect(Harness.messages(answer, to: "a").isEmpty, "one immediate HEARTBEAT per omission, no ping-pong")
        harness.advance(.seconds(2))
        harness.heartbeat("a")
        let requeued = harness.journal.compactMap { event -> Int? in
            if case .trialRequeued(let trial, _, let retries, _) = event, trial.rawValue == 0 { return retries }
            return nil
        }
        #expect(requeued == [0], "re-queued once, using no retry")
        #expect(harness.dispatched(to: "a").last == TrialKey(trial: TrialID(rawValue: 0), attempt: 2))
    }
}
