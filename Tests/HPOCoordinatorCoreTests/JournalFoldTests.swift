@testable import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
import HPOWire
import Testing

/// `JournalFold`, the one fold of journal events shared by replay and `hpo show`: its rules, and agreement with
/// `CoordinatorStateMachine.replay` on journals the machine itself wrote.
@Suite struct JournalFoldTests {
    static func id(_ raw: Int) -> TrialID { TrialID(rawValue: raw) }
    static let start = JournalEvent.studyStarted(
        name: "fold", session: 1, direction: .minimize, space: Harness.space, objective: ObjectiveDescriptor(kind: "null"),
        trialBudget: 5)

    @Test func theRulesOfTheFold() throws {
        let events: [JournalEvent] = [
            Self.start,
            .trialProposed(trial: Self.id(0), parameters: ["x": .double(0.1)]),
            .trialProposed(trial: Self.id(1), parameters: ["x": .double(0.2)]),
            .trialProposed(trial: Self.id(2), parameters: ["x": .double(0.3)]),
            .trialProposed(trial: Self.id(0), parameters: ["x": .double(0.9)]),  // a repeat is ignored
            .workerJoined(worker: WorkerID("a"), host: "h", pid: 1, capabilities: []),
            .trialDispatched(trial: Self.id(0), attempt: 1, worker: WorkerID("a")),
            .trialProgress(trial: Self.id(0), attempt: 1, step: 3, value: 0.4),
            .trialCompleted(trial: Self.id(0), attempt: 1, value: 0.5, metrics: ["loss": 1], duration: 2),
            .trialFailed(trial: Self.id(0), attempt: 1, reason: "late"),  // the first result wins
            .trialDispatched(trial: Self.id(1), attempt: 1, worker: WorkerID("a")),
            .trialRequeued(trial: Self.id(1), attempt: 1, retries: 1, reason: "worker lost"),
            .trialDispatched(trial: Self.id(1), attempt: 2, worker: WorkerID("a")),
            .trialDispatched(trial: Self.id(2), attempt: 1, worker: WorkerID("a")),
            .trialFailed(trial: Self.id(2), attempt: 1, reason: "diverged"),
            .studyFinished(state: .interrupted, reason: "SIGINT"),
        ]
        let fold = try JournalFold(events)
        #expect(fold.eventCount == events.count)
        #expect(fold.sessions.map(\.number) == [1])
        #expect(fold.finished == JournalFold.Ending(state: .interrupted, reason: "SIGINT"))
        #expect(fold.workers == ["a"])
        let trials = fold.trialsInOrder
        #expect(trials.map(\.id) == [Self.id(0), Self.id(1), Self.id(2)])
        #expect(trials[0].parameters == ["x": .double(0.1)])
        #expect(trials[0].state == .completed(value: 0.5))
        #expect(trials[0].metrics == ["loss": 1] && trials[0].durationSeconds == 2)
        #expect(trials[0].progressStep == 3 && trials[0].progressValue == 0.4)
        #expect(trials[1].state == .running(worker: WorkerID("a"), attempt: 2))
        #expect(trials[1].retries == 1 && trials[1].attempts == 2 && trials[1].reason == "worker lost")
        #expect(trials[1].leftRunningBySessionEnd)
        #expect(trials[2].state == .failed(reason: "diverged"))

        // A new session clears the ending; a dispatch clears "left running".
        var resumed = fold
        try resumed.apply(.studyStarted(
            name: "fold", session: 2, direction: .minimize, space: Harness.space, objective: ObjectiveDescriptor(kind: "null"),
            trialBudget: 5))
        #expect(resumed.finished == nil && resumed.sessions.count == 2)
        try resumed.apply(.trialAdopted(trial: Self.id(1), attempt: 2, worker: WorkerID("a")))
        #expect(resumed.trials[Self.id(1)]?.leftRunningBySessionEnd == false)
    }

    @Test func anUnknownTrialIsAnErrorThatChangesNothingButTheCount() throws {
        var fold = try JournalFold([Self.start])
        let before = fold.trials
        let error = try #require(throws: ReplayError.self) {
            try fold.apply(.trialCompleted(trial: Self.id(7), attempt: 1, value: 1, metrics: [:], duration: 0))
        }
        #expect(error.description.hasPrefix("journal event #2 (trial.completed) names trial 7, which was never proposed"))
        #expect(fold.trials == before && fold.eventCount == 2)
    }

    /// On journals the machine wrote (a crash mid-study, and a finished session), the fold and the replay agree
    /// on every trial: parameters, outcome, attempts, retries and whether it is running.
    @Test func theFoldAgreesWithReplay() throws {
        var harness = Harness.running(["a", "b"], handshake: false) { $0.trialBudget = 6; $0.prefetch = 1 }
        harness.complete("a", trial: 0, value: 0.5)
        harness.answerProposals()
        harness.report("b", trial: 1, .failed(reason: "boom"))
        harness.answerProposals()
        harness.answerProposals()
        for journal in [harness.journal, harness.journal + [.studyFinished(state: .interrupted, reason: "stop")]] {
            let (machine, replayed) = try CoordinatorStateMachine.replay(
                journal, studyName: "test", direction: .maximize, space: Harness.space,
                configuration: harness.machine.configuration, now: .now)
            let fold = try JournalFold(journal)
            #expect(fold.trialsInOrder.map(\.id) == replayed.map(\.id))
            for (trial, replayedTrial) in zip(fold.trialsInOrder, replayed) {
                let record = try #require(machine.trials[trial.id])
                #expect(trial.parameters == replayedTrial.parameters)
                #expect(trial.attempts == record.attempt && trial.retries == record.retries)
                switch trial.state {
                case .queued: #expect(record.phase == .queued && replayedTrial.outcome == nil)
                case .running: #expect(record.isRunning && replayedTrial.outcome == nil)
                case .completed(let value): #expect(replayedTrial.outcome == .completed(value))
                case .failed(let reason): #expect(replayedTrial.outcome == .failed(reason: reason))
                case .pruned(let step, let value): #expect(record.phase == .pruned(step: step, value: value))
                }
            }
        }
    }
}

/// What `hpo report` and `hpo export` read from the fold: attempts as runs, the latest attempt's curve, times.
@Suite struct JournalFoldTimelineTests {
    @Test func runsCurvesTimesAndRetirements() throws {
        let id = JournalFoldTests.id
        var fold = JournalFold()
        let events: [(Double, JournalEvent)] = [
            (0, JournalFoldTests.start),
            (1, .trialProposed(trial: id(0), parameters: ["x": .double(0.1)])),
            (1, .trialProposed(trial: id(1), parameters: ["x": .double(0.2)])),
            (2, .trialDispatched(trial: id(0), attempt: 1, worker: WorkerID("a"))),
            (3, .trialProgress(trial: id(0), attempt: 1, step: 1, value: 0.9)),
            (4, .workerLost(worker: WorkerID("a"), reason: "silent")),
            (4, .trialRequeued(trial: id(0), attempt: 1, retries: 1, reason: "worker lost")),
            (5, .trialDispatched(trial: id(0), attempt: 2, worker: WorkerID("b"))),
            (6, .trialProgress(trial: id(0), attempt: 1, step: 2, value: 0.1)),  // the superseded attempt: not drawn
            (6, .trialProgress(trial: id(0), attempt: 2, step: 1, value: 0.7)),
            (7, .trialDispatched(trial: id(1), attempt: 1, worker: WorkerID("b"))),
            (8, .trialFailed(trial: id(1), attempt: 1, reason: "boom")),
            (9, .trialCompleted(trial: id(0), attempt: 2, value: 0.5, metrics: [:], duration: 4)),
            (10, .workerLeft(worker: WorkerID("b"), reason: "SIGTERM")),
        ]
        for (time, event) in events {
            try fold.apply(event, at: time)
        }
        let first = try #require(fold.trials[id(0)])
        #expect(first.runs == [
            JournalFold.Run(attempt: 1, worker: WorkerID("a"), start: 2, end: 4, outcome: .requeued),
            JournalFold.Run(attempt: 2, worker: WorkerID("b"), start: 5, end: 9, outcome: .completed),
        ])
        #expect(first.curve == [1: 0.7])
        #expect(first.proposedAt == 1 && first.finishedAt == 9)
        #expect(first.worker == WorkerID("b"))
        #expect(fold.trials[id(1)]?.runs.map(\.outcome) == [.failed])
        #expect(fold.finishOrder == [id(1), id(0)])
        #expect(fold.retirements == [
            JournalFold.Retirement(worker: WorkerID("a"), time: 4, lost: true),
            JournalFold.Retirement(worker: WorkerID("b"), time: 10, lost: false),
        ])
        // A session that ends with a trial running ends its run as re-queued.
        try fold.apply(.trialProposed(trial: id(2), parameters: ["x": .double(0.3)]), at: 11)
        try fold.apply(.trialDispatched(trial: id(2), attempt: 1, worker: WorkerID("c")), at: 12)
        try fold.apply(.studyFinished(state: .interrupted, reason: "SIGINT"), at: 13)
        #expect(fold.trials[id(2)]?.runs.last?.outcome == .requeued && fold.trials[id(2)]?.runs.last?.end == 13)
    }
}
