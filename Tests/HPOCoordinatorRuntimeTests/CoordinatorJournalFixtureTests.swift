import Foundation
import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
import HPOWire
import Testing
import HPOCoordinatorRuntime

/// The checked-in journal `Fixtures/journal-v1.db` (schema 1) must keep decoding and replaying: renaming a
/// `JournalEvent` case or label, or changing the store's format, breaks this test instead of users' journals.
///
/// To regenerate after an intended format change (and bump the fixture's name): `HPO_WRITE_JOURNAL_FIXTURE=1
/// swift test --filter CoordinatorJournalFixtureTests`.
@Suite struct CoordinatorJournalFixtureTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/journal-v1.db")

    static let space: SearchSpace = try! SearchSpace([
        Parameter(name: "lr", kind: .float(low: 1e-5, high: 1e-1, log: true)),
        Parameter(name: "batch_size", kind: .int(low: 32, high: 256, step: 32)),
        Parameter(name: "optimizer", kind: .categorical([.string("sgd"), .string("adam")])),
    ])

    static let objective = ObjectiveDescriptor(
        kind: "test-function", options: ["function": .string("branin"), "duration": .number(0.5)])

    /// A study's history touching every event kind: a lost worker, a re-queue, a failure, a restart with a
    /// re-adopted trial.
    static let events: [JournalEvent] = {
        func id(_ raw: Int) -> TrialID { TrialID(raw) }
        let a = WorkerID("host-a.100.1a2b")
        let b = WorkerID(routingID: [0, 0x6b, 0x8b, 0x45, 0x67])
        let p0: Assignment = ["lr": .double(0.001), "batch_size": .int(64), "optimizer": .string("adam")]
        let p1: Assignment = ["lr": .double(0.05), "batch_size": .int(256), "optimizer": .string("sgd")]
        let p2: Assignment = ["lr": .double(0.0001), "batch_size": .int(32), "optimizer": .string("adam")]
        return [
            .studyStarted(name: "fixture", session: 1, direction: .maximize, space: space, objective: objective, trialBudget: 3),
            .workerJoined(worker: a, host: "host-a", pid: 100, capabilities: ["test-function", "null"]),
            .workerJoined(worker: b, host: "host-b", pid: 200, capabilities: ["test-function"]),
            .trialProposed(trial: id(0), parameters: p0),
            .trialProposed(trial: id(1), parameters: p1),
            .trialDispatched(trial: id(0), attempt: 1, worker: a),
            .trialDispatched(trial: id(1), attempt: 1, worker: b),
            .trialProgress(trial: id(0), attempt: 1, step: 1, value: 0.5),
            .workerLost(worker: b, reason: "silent for more than 3 s"),
            .trialRequeued(trial: id(1), attempt: 1, retries: 1, reason: "worker lost"),
            .trialCompleted(trial: id(0), attempt: 1, value: 0.93, metrics: ["loss": 0.21], duration: 1.25),
            .trialDispatched(trial: id(1), attempt: 2, worker: a),
            .trialFailed(trial: id(1), attempt: 2, reason: "diverged: loss is nan"),
            .trialProposed(trial: id(2), parameters: p2),
            .trialDispatched(trial: id(2), attempt: 1, worker: a),
            .workerLeft(worker: b, reason: "incompatible"),
            .studyFinished(state: .interrupted, reason: "interrupted by a stop request"),
            .studyStarted(name: "fixture", session: 2, direction: .maximize, space: space, objective: objective, trialBudget: 3),
            .trialAdopted(trial: id(2), attempt: 1, worker: a),
        ]
    }()

    /// A copy of the fixture in a temporary directory (SQLite wants to write its WAL index next to the file).
    private func openCopy() throws -> (JournalStore<JournalEvent>, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hpo-fixture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let copy = directory.appendingPathComponent("journal-v1.db")
        try FileManager.default.copyItem(at: Self.fixture, to: copy)
        return (try JournalStore<JournalEvent>(path: copy.path), directory)
    }

    @Test func theFixtureDecodesToTheSameEvents() throws {
        if ProcessInfo.processInfo.environment["HPO_WRITE_JOURNAL_FIXTURE"] == "1" {
            try? FileManager.default.removeItem(at: Self.fixture)
            let store = try JournalStore<JournalEvent>(path: Self.fixture.path)
            _ = try store.append(Self.events, at: Date(timeIntervalSince1970: 1_800_000_000))
        }
        let (store, directory) = try openCopy()
        defer { try? FileManager.default.removeItem(at: directory) }
        let decoded = try store.recordedEvents()
        #expect(decoded == Self.events)
        #expect(Set(decoded.map(\.kind)).count == 12, "every JournalEvent kind is in the fixture")
    }

    @Test func theFixtureReplaysIntoAResumableStudy() throws {
        let (store, directory) = try openCopy()
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = CoordinatorConfiguration(objective: Self.objective)
        configuration.trialBudget = 3
        let (machine, trials) = try CoordinatorStateMachine.replay(
            try store.recordedEvents(), studyName: "fixture", direction: .maximize, space: Self.space,
            configuration: configuration, now: .now)
        #expect(trials.map(\.id) == [TrialID(0), TrialID(1), TrialID(2)])
        #expect(trials[0].outcome == .completed(0.93))
        #expect(trials[1].outcome == .failed(reason: "diverged: loss is nan"))
        #expect(trials[2].outcome == nil)
        #expect(machine.snapshot.completed == 1 && machine.snapshot.failed == 1 && machine.snapshot.running == 1)
        // The optimizer accepts every replayed trial.
        var optimizer = RandomSearch(space: Self.space, direction: .maximize, seed: 3)
        for trial in trials {
            try optimizer.register(trial.parameters, as: trial.id, outcome: trial.outcome)
        }
        #expect(try optimizer.ask(count: 1).first?.id == TrialID(3))
    }
}
