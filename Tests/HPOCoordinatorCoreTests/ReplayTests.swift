import Foundation
import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
import HPOWire
import Testing

@Suite struct ReplayTests {
    /// A study with trial 0 completed, 1 running on "b", 2 queued, then "crashed".
    private func crashedJournal() -> (Harness, [JournalEvent]) {
        var harness = Harness.running(["a", "b"], handshake: false) { $0.trialBudget = 4; $0.prefetch = 1 }
        harness.complete("a", trial: 0, value: 0.5)
        harness.answerProposals()  // trial 2 to "a"
        harness.answerProposals()  // trial 3 queued
        return (harness, harness.journal)
    }

    private func replay(_ events: [JournalEvent], _ configuration: CoordinatorConfiguration, at now: ContinuousClock.Instant)
        throws -> (CoordinatorStateMachine, [ReplayedTrial])
    {
        let result = try CoordinatorStateMachine.replay(
            events, studyName: "test", direction: .maximize, space: Harness.space, configuration: configuration, now: now)
        return (result.machine, result.trials)
    }

    @Test func replayRestoresEveryTrialForTheOptimizer() throws {
        let (old, events) = crashedJournal()
        let (machine, trials) = try replay(events, old.machine.configuration, at: .now)
        #expect(trials.map(\.id.rawValue) == [0, 1, 2, 3])
        #expect(trials[0].outcome == .completed(0.5))
        #expect(trials[1].outcome == nil && trials[3].outcome == nil)
        #expect(trials[2].parameters == ["x": .double(0.02)])
        #expect(machine.snapshot.completed == 1)
        #expect(machine.snapshot.running == 2)  // 1 and 2 await their workers
        #expect(machine.snapshot.queued == 1)
    }

    @Test func aReconnectingWorkerReadoptsItsTrialAndTheRestIsRequeued() throws {
        let (old, events) = crashedJournal()
        var harness = Harness { $0.trialBudget = 4 }
        (harness.machine, _) = try replay(events, old.machine.configuration, at: harness.now)
        harness.nextTrial = 4
        let start = harness.send(.start)
        guard case .journal(let started) = start.first, case .studyStarted(_, 2, _, _, _, _, _) = started.first else {
            Issue.record("expected session 2: \(start)")
            return
        }
        // "b" reconnects (READY first on every connection) and reports trial 1: it gets the lease back.
        harness.ready("b")
        harness.heartbeat("b", trial: 1, attempt: 1)
        #expect(harness.journal.contains(.trialAdopted(trial: TrialID(rawValue: 1), attempt: 1, worker: WorkerID("b"))))
        // A new worker takes the queued trial 3 once its first heartbeat says it runs nothing.
        harness.ready("c")
        #expect(harness.dispatched(to: "c").isEmpty)
        harness.heartbeat("c")
        #expect(harness.dispatched(to: "c") == [TrialKey(trial: TrialID(rawValue: 3), attempt: 1)])
        // Nobody reports trial 2 within the lease timeout: re-queued as attempt 2.
        harness.heartbeat("b", trial: 1, attempt: 1)
        harness.advance(.seconds(2))
        harness.heartbeat("b", trial: 1, attempt: 1)
        harness.heartbeat("c", trial: 3, attempt: 1)
        harness.advance(.seconds(2))
        #expect(harness.machine.trials[TrialID(rawValue: 2)]?.phase == .queued)
        harness.complete("b", trial: 1, value: 0.9)
        #expect(harness.dispatched(to: "b") == [TrialKey(trial: TrialID(rawValue: 2), attempt: 2)])
        harness.complete("b", trial: 2, attempt: 2, value: 0.1)
        harness.complete("c", trial: 3, value: 0.3)
        let summary = try #require(harness.summary)
        #expect(summary.state == .completed && summary.completed == 4)
        #expect(summary.best?.value == 0.9)
        #expect(harness.tells.map { $0.0.rawValue }.sorted() == [1, 2, 3])  // trial 0 was registered, not told
    }

    @Test func aResultOfAnAwaitedTrialIsAcceptedFromTheReconnectedWorker() throws {
        let (old, events) = crashedJournal()
        var harness = Harness()
        (harness.machine, _) = try replay(events, old.machine.configuration, at: harness.now)
        harness.send(.start)
        harness.ready("a-new-connection")
        harness.complete("a-new-connection", trial: 2, value: 0.8)
        #expect(harness.completedTrials == [2])
    }

    @Test func aReportBeforeReadyIsRefusedAndAsksForReady() throws {
        let (old, events) = crashedJournal()
        var harness = Harness()
        (harness.machine, _) = try replay(events, old.machine.configuration, at: harness.now)
        harness.send(.start)
        let actions = harness.heartbeat("stranger", trial: 2, attempt: 1)
        let codes = Harness.messages(actions, to: "stranger").compactMap { message -> ErrorReply.Code? in
            if case .error(let reply) = message { return reply.code }
            return nil
        }
        #expect(codes == [.notReady])
        #expect(!harness.journal.contains { if case .workerJoined = $0 { true } else { false } })
        #expect(!harness.journal.contains { if case .trialAdopted = $0 { true } else { false } })
    }

    @Test func aFinishedJournalReplaysToAFinishedStudy() throws {
        var harness = Harness.running(["a"], handshake: false) { $0.trialBudget = 1 }
        harness.complete("a", trial: 0, value: 1)
        #expect(harness.summary != nil)
        var resumed = Harness { $0.trialBudget = 1 }
        (resumed.machine, _) = try replay(harness.journal, harness.machine.configuration, at: resumed.now)
        resumed.send(.start)
        #expect(resumed.summary?.state == .completed)
        #expect(resumed.requested == nil)
    }

    @Test func aJournalOfAnotherDirectionIsRefusedWithAFix() throws {
        let (_, events) = crashedJournal()
        let configuration = CoordinatorConfiguration(objective: ObjectiveDescriptor(kind: "null", options: [:]))
        #expect {
            _ = try CoordinatorStateMachine.replay(
                events, studyName: "test", direction: .minimize, space: Harness.space, configuration: configuration,
                now: .now)
        } throws: { error in
            "\(error)".contains("direction maximize") && "\(error)".contains("new journal path")
        }
    }

    @Test func aJournalNamingAnUnknownTrialIsRefused() {
        let configuration = CoordinatorConfiguration(objective: ObjectiveDescriptor(kind: "null", options: [:]))
        let events: [JournalEvent] = [.trialCompleted(trial: TrialID(rawValue: 5), attempt: 1, value: 1, metrics: [:], duration: 1)]
        #expect {
            _ = try CoordinatorStateMachine.replay(
                events, studyName: "test", direction: .maximize, space: Harness.space, configuration: configuration,
                now: .now)
        } throws: { error in
            "\(error)".contains("journal event #1 (trial.completed) names trial 5")
        }
    }
}

@Suite struct JournalEventCodingTests {
    @Test func everyEventRoundTripsThroughJSON() throws {
        let events = [
            JournalEvent.studyStarted(
                name: "s", session: 1, direction: .minimize, space: Harness.space,
                objective: ObjectiveDescriptor(kind: "null", options: [:]), trialBudget: 3),
            .trialProposed(trial: TrialID(rawValue: 0), parameters: ["x": .double(0.25)]),
            .trialDispatched(trial: TrialID(rawValue: 0), attempt: 1, worker: WorkerID(routingID: [0, 1, 255])),
            .trialAdopted(trial: TrialID(rawValue: 0), attempt: 1, worker: WorkerID("w1")),
            .trialProgress(trial: TrialID(rawValue: 0), attempt: 1, step: 2, value: 0.5),
            .trialCompleted(trial: TrialID(rawValue: 0), attempt: 1, value: 0.9, metrics: ["loss": 0.1], duration: 1.5),
            .trialFailed(trial: TrialID(rawValue: 1), attempt: 2, reason: "boom"),
            .trialRequeued(trial: TrialID(rawValue: 1), attempt: 1, retries: 1, reason: "lost"),
            .workerJoined(worker: WorkerID("w1"), host: "h", pid: 1, capabilities: ["null"]),
            .workerLeft(worker: WorkerID("w1"), reason: "bye"),
            .workerLost(worker: WorkerID("w1"), reason: "silent"),
            .studyFinished(state: .interrupted, reason: "signal"),
        ]
        let data = try JSONEncoder().encode(events)
        let decoded = try JSONDecoder().decode([JournalEvent].self, from: data)
        #expect(decoded == events)
        #expect(Set(events.map(\.kind)).count == events.count)
        // caseName is the synthesized Codable key (the journal store's type column).
        for event in events {
            let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(event)) as? [String: Any]
            #expect(object?.keys.first == event.caseName)
        }
    }

    @Test func theOnDiskShapeUsesCaseAndLabelNames() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(
            JournalEvent.trialDispatched(trial: TrialID(rawValue: 3), attempt: 2, worker: WorkerID(routingID: [0, 0xab])))
        #expect(String(decoding: data, as: UTF8.self) == #"{"trialDispatched":{"attempt":2,"trial":3,"worker":"0x00ab"}}"#)
    }

    @Test func workerIDsPrintAndParseBack() {
        for id in [WorkerID("worker-1"), WorkerID(routingID: [0, 0x6b, 0x8b, 0x45, 0x67]), WorkerID(routingID: [0x30, 0x78])] {
            #expect(WorkerID(printed: id.description) == id)
        }
    }
}

@Suite struct RepeatedResultTests {
    @Test func aResultRepeatedAfterARestartForARecordedTrialIsIgnoredQuietly() throws {
        var harness = Harness.running(["a"], handshake: false) { $0.trialBudget = 3 }
        harness.complete("a", trial: 0, value: 1)
        var resumed = Harness { $0.trialBudget = 3 }
        (resumed.machine, _) = try CoordinatorStateMachine.replay(
            harness.journal, studyName: "test", direction: .maximize, space: Harness.space,
            configuration: harness.machine.configuration, now: resumed.now)
        resumed.send(.start)
        let actions = resumed.complete("a", trial: 0, value: 1)
        #expect(Harness.errors(actions, to: "a").isEmpty)
        #expect(resumed.completedTrials.isEmpty)
    }
}

@Suite struct ReadoptionOrderTests {
    @Test func aWorkerThatRejoinsAfterARestartGetsNoTrialBeforeItSaysWhatItRuns() throws {
        var harness = Harness { $0.trialBudget = 3 }
        harness.send(.start)
        harness.ready("a")
        harness.answerProposals()  // trial 0 on "a"
        harness.answerProposals()  // trial 1 queued
        var resumed = Harness { $0.trialBudget = 3 }
        (resumed.machine, _) = try CoordinatorStateMachine.replay(
            harness.journal, studyName: "test", direction: .maximize, space: Harness.space,
            configuration: harness.machine.configuration, now: resumed.now)
        resumed.send(.start)
        resumed.ready("a")  // READY first, as a reconnecting worker does
        #expect(resumed.dispatched(to: "a").isEmpty)
        resumed.heartbeat("a", trial: 0, attempt: 1)
        #expect(resumed.journal.contains(.trialAdopted(trial: TrialID(rawValue: 0), attempt: 1, worker: WorkerID("a"))))
        #expect(resumed.dispatched(to: "a").isEmpty)
        resumed.complete("a", trial: 0, value: 1)
        #expect(resumed.dispatched(to: "a") == [TrialKey(trial: TrialID(rawValue: 1), attempt: 1)])
    }
}
