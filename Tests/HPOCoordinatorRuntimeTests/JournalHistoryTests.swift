import Foundation
import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
import HPOWire
import HPOTestSupport
import Testing
@testable import HPOCoordinatorRuntime
import HPOOutput

@Suite(.scratchDirectory("journal")) struct JournalHistoryTests {
    static let space = try! SearchSpace([.float("lr", 1e-5, 1e-1, log: true), .int("batch_size", 32, 256)])

    /// A study of five trials: two completed, one failed after a retry, one running with progress, one queued.
    static let events: [JournalEvent] = [
        .studyStarted(name: "digits", session: 1, direction: .maximize, space: space, objective: ObjectiveDescriptor(kind: "mlp"), trialBudget: 5),
        .workerJoined(worker: WorkerID("w1"), host: "node-1", pid: 11, capabilities: ["mlp"]),
        .trialProposed(trial: TrialID(0), parameters: ["lr": .double(0.001), "batch_size": .int(64)]),
        .trialProposed(trial: TrialID(1), parameters: ["lr": .double(0.01), "batch_size": .int(128)]),
        .trialDispatched(trial: TrialID(0), attempt: 1, worker: WorkerID("w1")),
        .trialCompleted(trial: TrialID(0), attempt: 1, value: 0.95, metrics: ["loss": 0.2], duration: 2.5),
        .trialDispatched(trial: TrialID(1), attempt: 1, worker: WorkerID("w1")),
        .trialCompleted(trial: TrialID(1), attempt: 1, value: 0.975, metrics: [:], duration: 1.25),
        .trialProposed(trial: TrialID(2), parameters: ["lr": .double(0.1), "batch_size": .int(32)]),
        .trialDispatched(trial: TrialID(2), attempt: 1, worker: WorkerID("w1")),
        .trialRequeued(trial: TrialID(2), attempt: 1, retries: 1, reason: "worker lost"),
        .trialDispatched(trial: TrialID(2), attempt: 2, worker: WorkerID("w1")),
        .trialFailed(trial: TrialID(2), attempt: 2, reason: "loss is NaN, \"diverged\""),
        .trialProposed(trial: TrialID(3), parameters: ["lr": .double(1e-5), "batch_size": .int(256)]),
        .trialDispatched(trial: TrialID(3), attempt: 1, worker: WorkerID("w1")),
        .trialProgress(trial: TrialID(3), attempt: 1, step: 7, value: 0.5),
        .trialProposed(trial: TrialID(4), parameters: ["lr": .double(0.0005), "batch_size": .int(200)]),
    ]

    func writeJournal(_ directory: TemporaryDirectory) throws -> String {
        let path = directory.path("digits.db")
        try JournalStore<JournalEvent>(path: path).append(Self.events)
        return path
    }

    @Test func historyFollowsEveryTrialThroughItsEvents() throws {
        let directory = try TemporaryDirectory()
        let history = try StudyHistory.load(journalPath: try writeJournal(directory))
        #expect(history.name == "digits")
        #expect(history.trials.map(\.state) == [.completed, .completed, .failed, .running, .queued])
        #expect(history.trials[2].attempts == 2)
        #expect(history.trials[2].reason == "loss is NaN, \"diverged\"")
        #expect(history.trials[3].progressStep == 7)
        #expect(history.best?.id == 1)
        #expect(history.parameterNames == ["lr", "batch_size"])
        #expect(history.workers == ["w1"])
        #expect(history.eventCount == Self.events.count)
    }

    @Test func tableMarksTheBestAndAlignsColumns() throws {
        let directory = try TemporaryDirectory()
        let table = try StudyHistory.load(journalPath: try writeJournal(directory)).render(.table)
        let lines = table.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "study digits (maximize): 2/5 completed, 1 failed, 1 running, 1 queued; best #1 = 0.975")
        #expect(lines[2] == "   trial  state      value  lr      batch_size  attempts  seconds  note")
        #expect(lines[3] == "       0  completed   0.95  0.001   64                 1     2.50")
        #expect(lines[4] == "*      1  completed  0.975  0.01    128                1     1.25")
        #expect(lines[5] == "       2  failed            0.1     32                 2           loss is NaN, \"diverged\"")
        #expect(lines[6] == "       3  running           1e-05   256                1           step 7: 0.5")
        #expect(lines[7] == "       4  queued            0.0005  200                0")
    }

    @Test func csvAndJSONCarryEveryTrial() throws {
        let directory = try TemporaryDirectory()
        let history = try StudyHistory.load(journalPath: try writeJournal(directory))
        let csv = history.render(.csv).split(separator: "\n").map(String.init)
        #expect(csv[0] == "trial,state,value,lr,batch_size,attempts,duration_seconds,reason,metrics.loss")
        #expect(csv[1] == "0,completed,0.95,0.001,64,1,2.5,,0.2")   // metrics were left out before QA's fix
        #expect(csv[3] == #"2,failed,,0.1,32,2,,"loss is NaN, ""diverged""","#)
        #expect(csv.count == 6)

        let json = try #require(try JSONSerialization.jsonObject(with: Data(history.render(.json).utf8)) as? [String: Any])
        #expect(json["study"] as? String == "digits")
        #expect(json["completed"] as? Int == 2)
        let best = try #require(json["best"] as? [String: Any])
        #expect(best["trial"] as? Int == 1)
        #expect((best["parameters"] as? [String: Any])?["batch_size"] as? Int == 128)
        #expect((json["trials"] as? [Any])?.count == 5)
    }

    @Test func aFinishedSessionRequeuesItsRunningTrials() {
        let entries = (Self.events + [.studyFinished(state: .interrupted, reason: "interrupted by signal")]).enumerated().map {
            JournalEntry(sequence: Int64($0.offset + 1), time: Date(timeIntervalSince1970: 0), type: $0.element.kind, event: $0.element)
        }
        let history = StudyHistory(entries: entries)
        #expect(history.trials[3].state == .queued)
        #expect(history.finished?.state == .interrupted)
        #expect(history.render(.table).hasPrefix(
            "study digits (maximize): 2/5 completed, 1 failed, 0 running, 2 queued; best #1 = 0.975; interrupted: interrupted by signal\n"
        ))
    }

    @Test func anEmptyJournalSaysSo() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("empty.db")
        _ = try JournalStore<JournalEvent>(path: path)
        let table = try StudyHistory.load(journalPath: path).render(.table)
        #expect(table.hasPrefix("the journal has no events yet (the study has not started)\n"))
    }
}
