import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
import HPOWire
import Testing

/// ENQUEUE into a running study (`hpo enqueue` on a running coordinator): checked, journaled, registered with the
/// optimizer, queued ahead of every proposal and answered, or refused with an ERROR naming what is wrong.
@Suite struct EnqueueRequestTests {
    static func enqueue(_ parameters: Assignment, study: String? = nil) -> CoordinatorEvent {
        .message(from: WorkerID("cli"), .enqueue(Enqueue(parameters: parameters, study: study)))
    }

    static func replies(_ actions: [CoordinatorAction]) -> [EnqueueReply] {
        Harness.messages(actions, to: "cli").compactMap { if case .enqueueReply(let reply) = $0 { reply } else { nil } }
    }

    static func refusals(_ actions: [CoordinatorAction]) -> [ErrorReply] {
        Harness.messages(actions, to: "cli").compactMap { if case .error(let reply) = $0 { reply } else { nil } }
    }

    @Test func anEnqueuedTrialIsJournaledRegisteredAnsweredAndDispatchedBeforeTheQueuedProposal() throws {
        // Worker a runs trial 0; trial 1 (a proposal) waits in the queue.
        var harness = Harness.running(["a"], prefetched: 1) { $0.trialBudget = 10 }
        #expect(harness.machine.queuedTrials.map(\.rawValue) == [1])
        let actions = harness.send(Self.enqueue(["x": .double(0.25)]))
        let reply = try #require(Self.replies(actions).first)
        #expect(reply == EnqueueReply(trialID: 2, parameters: ["x": .double(0.25)], queuedAhead: 0))
        // Journal first (one leading action), then the optimizer hears of it, then the reply.
        guard case .journal(let events) = actions.first else { Issue.record("no leading journal action: \(actions)"); return }
        #expect(events == [.trialProposed(trial: TrialID(2), parameters: ["x": .double(0.25)])])
        let register = try #require(actions.firstIndex { if case .registerTrial(TrialID(2), ["x": .double(0.25)]) = $0 { true } else { false } })
        let answer = try #require(actions.firstIndex { if case .send(_, .enqueueReply) = $0 { true } else { false } })
        #expect(register < answer)
        #expect(harness.machine.queuedTrials.map(\.rawValue) == [2, 1])
        // The next free worker gets the enqueued trial, with exactly its values.
        harness.complete("a", trial: 0, value: 1)
        let sent = try #require(harness.log.lazy.compactMap { action -> TrialAssignment? in
            if case .send(_, .trial(let trial)) = action, trial.trialID == 2 { trial } else { nil }
        }.first)
        #expect(sent.parameters == ["x": .double(0.25)])
        // Its result is told to the optimizer like a proposal's.
        harness.complete("a", trial: 2, value: 3)
        #expect(harness.tells.contains { $0.0 == TrialID(2) && $0.1 == .completed(3) })
    }

    @Test func aRequestDuringAnAskWaitsForItAndTakesTheIdAfterTheProposals() throws {
        var harness = Harness { $0.trialBudget = 10; $0.prefetch = 0 }
        harness.send(.start)
        harness.join("a")   // asks for one proposal; not answered yet
        #expect(harness.requested == 1)
        let waiting = harness.send(Self.enqueue(["x": .double(0.5)]))
        #expect(Self.replies(waiting).isEmpty && Self.refusals(waiting).isEmpty)
        #expect(!waiting.contains { if case .registerTrial = $0 { true } else { false } })
        let answered = harness.answerProposals()   // proposal 0 is queued behind the enqueued trial
        let reply = try #require(Self.replies(answered).first)
        #expect(reply.trialID == 1, "the ask's proposal holds id 0")
        #expect(harness.machine.trials[TrialID(1)]?.parameters == ["x": .double(0.5)])
    }

    @Test func theIdSkipsIdsTheOptimizerHoldsForAWarmStart() throws {
        var harness = Harness { $0.trialBudget = 10 }
        harness.machine.reserveTrialIDs(below: 40)
        harness.send(.start)
        harness.answerProposals()   // trial 0, queued
        let reply = try #require(Self.replies(harness.send(Self.enqueue(["x": .double(0.5)]))).first)
        #expect(reply.trialID == 40)
        #expect(try #require(Self.replies(harness.send(Self.enqueue(["x": .double(0.6)]))).first).trialID == 41)
    }

    @Test(arguments: [
        (["y": ParameterValue.double(0.5)], "parameter \"y\""),
        (["x": ParameterValue.double(2.5)], "2.5 is outside [0.0, 1.0]"),
        (["x": ParameterValue.string("high")], "parameter \"x\""),
    ])
    func parametersThatDoNotFitAreRefusedNamingTheParameter(parameters: Assignment, expected: String) throws {
        var harness = Harness.running(["a"]) { $0.trialBudget = 10 }
        let before = harness.machine.trials.count
        let refusal = try #require(Self.refusals(harness.send(Self.enqueue(parameters))).first)
        #expect(refusal.code == .invalidParameters)
        #expect(refusal.message.contains(expected), "\(refusal.message)")
        #expect(harness.machine.trials.count == before)
    }

    @Test func anotherStudysNameIsRefused() throws {
        var harness = Harness.running(["a"]) { $0.trialBudget = 10 }
        let refusal = try #require(Self.refusals(harness.send(Self.enqueue(["x": .double(0.5)], study: "digits"))).first)
        #expect(refusal.code == .wrongStudy)
        #expect(refusal.message.contains("runs study \"test\", not \"digits\""), "\(refusal.message)")
    }

    @Test func aUsedUpBudgetIsRefusedSayingSo() throws {
        // Budget 2: trial 0 runs, trial 1 is queued; nothing is left for an enqueued one.
        var harness = Harness.running(["a"], prefetched: 1) { $0.trialBudget = 2 }
        let refusal = try #require(Self.refusals(harness.send(Self.enqueue(["x": .double(0.5)]))).first)
        #expect(refusal.code == .budgetSpent)
        #expect(refusal.message.contains("budget.trials = 2 is used up: 2 trials are done, running or queued"), "\(refusal.message)")
        #expect(refusal.message.contains("raise budget.trials"), "\(refusal.message)")
    }

    @Test func anEnqueuedTrialCountsAgainstTheBudget() throws {
        var harness = Harness.running(["a"], prefetched: 0) { $0.trialBudget = 3; $0.prefetch = 0 }
        #expect(Self.replies(harness.send(Self.enqueue(["x": .double(0.5)]))).count == 1)
        // Trial 0 and the enqueued trial take 2 of 3: one more proposal at most, then the study completes with 3.
        harness.complete("a", trial: 0, value: 1)
        harness.answerProposals()
        harness.complete("a", trial: 1, value: 2)
        harness.answerProposals()
        harness.complete("a", trial: 2, value: 3)
        #expect(harness.summary?.completed == 3)
        #expect(harness.machine.trials.count == 3)
    }

    @Test func aStoppingOrFinishedStudyRefuses() throws {
        var harness = Harness.running(["a"]) { $0.trialBudget = 10 }
        harness.send(.stopRequested(immediately: false))
        let stopping = try #require(Self.refusals(harness.send(Self.enqueue(["x": .double(0.5)]))).first)
        #expect(stopping.code == .studyClosed)
        #expect(stopping.message.contains("is stopping"), "\(stopping.message)")
        harness.complete("a", trial: 0, value: 1)
        #expect(harness.summary != nil)
        let over = try #require(Self.refusals(harness.send(Self.enqueue(["x": .double(0.5)]))).first)
        #expect(over.code == .studyClosed)
        #expect(over.message.contains("is over"), "\(over.message)")
    }

    @Test func aRequestWaitingForAnAskIsRefusedWhenTheStudyStops() throws {
        var harness = Harness { $0.trialBudget = 10; $0.prefetch = 0 }
        harness.send(.start)
        harness.join("a")
        harness.send(Self.enqueue(["x": .double(0.5)]))
        let stopped = harness.send(.stopRequested(immediately: true))
        let refusal = try #require(Self.refusals(stopped).first)
        #expect(refusal.code == .studyClosed)
        #expect(!harness.journal.contains { if case .trialProposed(_, ["x": .double(0.5)]) = $0 { true } else { false } })
    }

    @Test func aFloodOfEnqueuesIsCappedAndCostsNoMemoryPastTheCap() throws {
        var harness = Harness.running(["a"], prefetched: 1) {
            $0.trialBudget = nil
            $0.wallTime = .seconds(3600)
            $0.maxEnqueuedTrials = 5
        }
        var codes: [String: Int] = [:]
        for index in 0..<1_000 {
            let actions = harness.send(Self.enqueue(["x": .double(Double(index % 100) / 100)]))
            for reply in Self.refusals(actions) { codes[reply.code.rawValue, default: 0] += 1 }
            for _ in Self.replies(actions) { codes["queued", default: 0] += 1 }
        }
        #expect(codes == ["queued": 5, "enqueue_limit": 995])
        #expect(harness.machine.queuedTrials.count <= 5 + 1)
        let refusal = try #require(Self.refusals(harness.send(Self.enqueue(["x": .double(0.5)]))).first)
        #expect(refusal.message.contains("already holds 5 enqueued trials that have not started"), "\(refusal.message)")
        // Once one starts, there is room again.
        harness.complete("a", trial: 0, value: 1)
        #expect(Self.replies(harness.send(Self.enqueue(["x": .double(0.5)]))).count == 1)
    }

    @Test func aResumeKeepsTheEnqueuedTrialAndQueuesItFirst() throws {
        var harness = Harness.running(["a"], prefetched: 1) { $0.trialBudget = 10 }
        harness.send(Self.enqueue(["x": .double(0.75)]))
        let resumed = try CoordinatorStateMachine.replay(
            harness.journal, studyName: "test", direction: .maximize, space: Harness.space,
            configuration: harness.machine.configuration, now: harness.now)
        #expect(resumed.machine.trials[TrialID(2)]?.parameters == ["x": .double(0.75)])
        #expect(resumed.trials.contains { $0.id == TrialID(2) && $0.outcome == nil })
        #expect(resumed.machine.queuedTrials.contains(TrialID(2)))
    }
}
