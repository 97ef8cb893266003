import Foundation
import GRDB
import HPOCoordinatorCore
import HPOWire
import HPOTestSupport
import Testing
import HPOCoordinatorRuntime

/// A stand-in for the coordinator's event enum: synthesized Codable, one case per kind of event.
enum SampleEvent: Codable, Sendable, Equatable {
    case studyStarted(name: String)
    case trialProposed(trial: Int, parameters: [String: Double])
    case trialCompleted(trial: Int, attempt: Int, value: Double)
    case trialFailed(trial: Int, attempt: Int, reason: String)
}

/// A different event type, to read a journal with the wrong schema.
struct OtherEvent: Codable, Sendable {
    var id: UUID
}

/// The running test's scratch directory, which its suite's `.scratchDirectory` trait made and removes.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = try ScratchDirectory.current()
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

@Suite(.scratchDirectory("journal")) struct JournalStoreTests {
    static let events: [SampleEvent] = [
        .studyStarted(name: "digits"),
        .trialProposed(trial: 0, parameters: ["lr": 0.001, "batch_size": 64]),
        .trialCompleted(trial: 0, attempt: 0, value: 0.97),
        .trialFailed(trial: 1, attempt: 0, reason: "exit status 1: \"boom\"\n"),
    ]

    @Test func appendedEventsSurviveReopeningInOrder() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("study.db")
        let time = Date(timeIntervalSince1970: 1_800_000_000.25)
        do {
            let journal = try JournalStore<SampleEvent>(path: path)
            #expect(try journal.append(Array(Self.events.prefix(2)), at: time) == [1, 2])
            #expect(try journal.append(Self.events[2], at: time) == 3)
            #expect(try journal.append([], at: time) == [])
            #expect(try journal.append(Array(Self.events.suffix(1)), at: time) == [4])
        }
        let reopened = try JournalStore<SampleEvent>(path: path)
        let entries = try reopened.readAll()
        #expect(entries.map(\.event) == Self.events)
        #expect(entries.map(\.sequence) == [1, 2, 3, 4])
        #expect(entries.map(\.type) == ["studyStarted", "trialProposed", "trialCompleted", "trialFailed"])
        #expect(entries.allSatisfy { $0.time == time })
        #expect(try reopened.count() == 4)
        #expect(try reopened.read(after: 2).map(\.sequence) == [3, 4])
        #expect(try reopened.read(after: 0, limit: 1).map(\.sequence) == [1])
        #expect(try reopened.append(.studyStarted(name: "resumed")) == 5)
    }

    @Test func aReadOnlyReaderSeesConsistentPrefixesWhileTheWriterAppends() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("live.db")
        let writer = try JournalStore<SampleEvent>(path: path, durability: .normal)
        try writer.append(.studyStarted(name: "live"))
        let reader = try JournalStore<SampleEvent>(path: path, mode: .readOnly)
        let batches = 200

        async let written: Void = Task.detached {
            for batch in 0..<batches {
                let events = (0..<5).map { SampleEvent.trialCompleted(trial: batch, attempt: $0, value: Double(batch)) }
                try writer.append(events)
            }
        }.value
        var observed: [Int] = []
        var finalCount = 0
        while finalCount < 1 + batches * 5 {
            let entries = try reader.readAll()
            // Whole batches only (one transaction each), contiguous sequence numbers from 1.
            #expect(entries.map(\.sequence) == Array(1...Int64(entries.count)))
            #expect((entries.count - 1) % 5 == 0)
            observed.append(entries.count)
            finalCount = entries.count
            await Task.yield()
        }
        try await written
        #expect(observed == observed.sorted())
        #expect(try reader.count() == 1 + batches * 5)
    }

    @Test func aReadOnlyJournalRefusesToAppend() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("ro.db")
        try JournalStore<SampleEvent>(path: path).append(Self.events)
        let reader = try JournalStore<SampleEvent>(path: path, mode: .readOnly)
        let error = try #require(throws: CoordinatorError.self) { try reader.append(.studyStarted(name: "x")) }
        #expect(error.code == .journalStorage)
        #expect(try reader.count() == 4)
    }

    @Test func anyJournalReadsAsJSON() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("json.db")
        try JournalStore<SampleEvent>(path: path).append(Self.events)
        let entries = try JournalStore<JSONValue>(path: path, mode: .readOnly).readAll()
        #expect(entries[2].event == .object(["trialCompleted": .object(["trial": .number(0), "attempt": .number(0), "value": .number(0.97)])]))
    }

    @Test func eventsOfAnotherTypeNameTheEntry() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("other.db")
        try JournalStore<SampleEvent>(path: path).append(Self.events)
        let error = try #require(throws: CoordinatorError.self) { try JournalStore<OtherEvent>(path: path).readAll() }
        #expect(error.code == .journalBadEvent)
        #expect(error.description.hasPrefix("journal \(path): entry 1 (type studyStarted) does not decode as OtherEvent:"))
    }

    @Test func theEventsTableIsAppendOnly() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("append-only.db")
        try JournalStore<SampleEvent>(path: path).append(Self.events)
        let database = try DatabaseQueue(path: path)
        #expect(throws: DatabaseError.self) { try database.write { try $0.execute(sql: "DELETE FROM hpo_journal_events") } }
        #expect(throws: DatabaseError.self) { try database.write { try $0.execute(sql: "UPDATE hpo_journal_events SET type = 'x'") } }
        let modes = try database.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA user_version"))
        }
        #expect(modes.0 == "wal")
        #expect(modes.1 == 1)
        #expect(try JournalStore<SampleEvent>(path: path).count() == 4)
    }

    @Test func corruptForeignAndNewerFilesGiveClearErrors() throws {
        let directory = try TemporaryDirectory()

        let garbage = directory.path("garbage.db")
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }).write(to: URL(fileURLWithPath: garbage))
        let corrupt = try #require(throws: CoordinatorError.self) { try JournalStore<SampleEvent>(path: garbage) }
        #expect(corrupt.code == .journalCorrupt)
        #expect(corrupt.description.contains("is not an SQLite database or is damaged"))
        #expect(try #require(throws: CoordinatorError.self) { try JournalStore<SampleEvent>(path: garbage, mode: .readOnly) }.code == .journalCorrupt)

        let foreign = directory.path("foreign.db")
        try DatabaseQueue(path: foreign).write { try $0.execute(sql: "CREATE TABLE users (id INTEGER PRIMARY KEY)") }
        let notAJournal = try #require(throws: CoordinatorError.self) { try JournalStore<SampleEvent>(path: foreign) }
        #expect(notAJournal.code == .journalNotAJournal)
        #expect(notAJournal.description == "journal \(foreign): is an SQLite database but not an hpo journal (application_id 0, tables: users); choose another journal path")

        let newer = directory.path("newer.db")
        try JournalStore<SampleEvent>(path: newer).append(Self.events)
        try DatabaseQueue(path: newer).write { try $0.execute(sql: "PRAGMA user_version = 99") }
        let unsupported = try #require(throws: CoordinatorError.self) { try JournalStore<SampleEvent>(path: newer, mode: .readOnly) }
        #expect(unsupported.code == .journalUnsupportedSchema)
        #expect(unsupported.message == "has schema version 99, this hpo reads up to 1; upgrade hpo")

        let missing = directory.path("missing.db")
        #expect(try #require(throws: CoordinatorError.self) { try JournalStore<SampleEvent>(path: missing, mode: .readOnly) }.code == .journalCannotOpen)
        #expect(!FileManager.default.fileExists(atPath: missing))
        let noDirectory = directory.path("no/such/dir/study.db")
        #expect(try #require(throws: CoordinatorError.self) { try JournalStore<SampleEvent>(path: noDirectory) }.code == .journalCannotOpen)
    }
}

extension JournalStoreTests {
    /// A second coordinator on the same study (`hpo run --resume` while `hpo coordinator` runs) used to append to the
    /// same journal at the same time, interleaving two sessions' trials. Now the second writer is refused.
    @Test func aSecondWriterIsRefusedWhileTheFirstHoldsTheJournal() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("study.db")
        var first: JournalStore<JournalEvent>? = try JournalStore<JournalEvent>(path: path)
        try first?.append([.studyFinished(state: .interrupted, reason: "stop")])
        do {
            _ = try JournalStore<JournalEvent>(path: path)
            Issue.record("a second writer opened the journal")
        } catch {
            #expect(error.code == .journalInUse)
            #expect(error.description.contains("another process is writing this journal"))
        }
        #expect(try JournalStore<JournalEvent>(path: path, mode: .readOnly).count() == 1)   // readers are welcome
        first = nil
        let second = try JournalStore<JournalEvent>(path: path)
        #expect(try second.count() == 1)
    }

    /// After a session's last event the `.db` file alone must hold the journal: a user copying just `study.db`
    /// used to get "an empty database" because everything was still in `study.db-wal`.
    @Test func theDatabaseFileAloneHoldsTheJournalOnceTheSessionEnds() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("study.db")
        let copy = directory.path("copy.db")
        let journal = try JournalStore<JournalEvent>(path: path)
        try journal.append([.workerLeft(worker: WorkerID("w"), reason: "done")])
        try journal.append([.studyFinished(state: .completed, reason: "trial budget of 1 spent")])
        try FileManager.default.copyItem(atPath: path, toPath: copy)   // while the writer still has it open
        let entries = try JournalStore<JournalEvent>(path: copy, mode: .readOnly).readAll()
        #expect(entries.count == 2)
        #expect(entries.last?.type == "studyFinished")
        #expect(try journal.count() == 2)
    }
}
