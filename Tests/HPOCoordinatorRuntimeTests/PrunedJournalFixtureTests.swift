import Foundation
import HPOCoordinatorCore
import HPOCoordinatorRuntime
import HPOOptimizer
import HPOSearchSpace
import HPOWire
import Testing

/// The checked-in journal `Fixtures/journal-pruned-v1.db`, written by a real `hpo run` with ASHA
/// (`scripts/fixtures/pruned-journal` regenerates it and lists each trial's story): its `trialProgress` and
/// `trialPruned` rows keep decoding, and replay counts the pruned trials as pruned and rebuilds the pruner's rungs.
/// The commands that read it (`hpo show`, `report`, `export`, `--resume`) are tested in `HPOEndToEndTests`.
@Suite struct PrunedJournalFixtureTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/journal-pruned-v1.db")

    /// The study file's space (scripts/fixtures/pruned-journal).
    static let space: SearchSpace = try! SearchSpace([
        Parameter(name: "lr", kind: .float(low: 1e-4, high: 1e-1, log: true)),
        Parameter(name: "batch_size", kind: .int(low: 16, high: 128)),
        Parameter(name: "optimizer", kind: .categorical([.string("sgd"), .string("adam")])),
    ])

    /// The events of a copy of the fixture (SQLite wants to write its WAL index next to the file).
    static func events() throws -> [JournalEvent] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hpo-fixture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let copy = directory.appendingPathComponent("journal-pruned-v1.db")
        try FileManager.default.copyItem(at: fixture, to: copy)
        return try JournalStore<JournalEvent>(path: copy.path).recordedEvents()
    }

    @Test func itsPrunedAndProgressRowsDecode() throws {
        let events = try Self.events()
        let pruned = events.compactMap { event -> [Double]? in
            if case .trialPruned(let id, let attempt, let step, let value, let reason) = event, attempt == 1,
                reason.hasPrefix("ASHA rung ")
            {
                return [Double(id.rawValue), Double(step), value]
            }
            return nil
        }
        #expect(pruned == [[1, 1, 0.2], [3, 2, 0.3], [6, 1, 0.1]])
        let steps = events.compactMap { event -> Int? in
            if case .trialProgress(let id, _, let step, _) = event, id == TrialID(2) { step } else { nil }
        }
        #expect(steps == [1, 2, 3, 4])
        #expect(events.filter { if case .trialProgress = $0 { true } else { false } }.count == 17)
    }

    @Test func replayCountsPrunedTrialsAsPrunedAndRebuildsTheRungs() throws {
        let events = try Self.events()
        var configuration = CoordinatorConfiguration(objective: ObjectiveDescriptor(kind: "command", options: [:]))
        configuration.trialBudget = 6
        configuration.pruner = .asha(reductionFactor: 2, minResource: 1, maxResource: 4, minEarlyStoppingRate: 0)
        let (machine, trials) = try CoordinatorStateMachine.replay(
            events, studyName: "pruned-fixture", direction: .maximize, space: Self.space, configuration: configuration, now: .now)
        let snapshot = machine.snapshot
        #expect(snapshot.completed == 3 && snapshot.pruned == 3 && snapshot.failed == 1 && snapshot.running == 0)
        #expect(machine.trials[TrialID(3)]?.phase == .pruned(step: 2, value: 0.3))
        // Told to the optimizer as their last value (the default `pruned_trials: last_value`).
        let outcomes = trials.map(\.outcome)
        #expect(outcomes.enumerated().filter { $0.offset != 4 }.map(\.element) == [
            .completed(0.8), .completed(0.2), .completed(0.9), .completed(0.3), .completed(0.7), .completed(0.1),
        ])
        guard case .failed(let reason)? = outcomes[4] else {
            Issue.record("trial 4 is not failed: \(outcomes)")
            return
        }
        #expect(reason.contains("diverged: loss is nan"))
        // Every trial that reported step 1 holds a value at rung 0; trials 0, 2, 3 and 5 reached rung 1 (step 2).
        let asha = try #require(machine.pruner as? ASHAPruner)
        #expect(asha.rungs.first?.visible.count == 7)
        #expect(asha.rungs.count > 1 && asha.rungs[1].visible.count == 4)
    }
}
