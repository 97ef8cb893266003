import Foundation
import Glibc
import HPOCoordinatorCore
import HPOTestSupport
import Testing
import HPOCoordinatorRuntime

/// A journal deleted or replaced while its writer has it open stops the writer at its next commit (issue #7 §5),
/// with a typed error saying what happened; the lock is on the file, so a second writer can open a new file at
/// the same path, and then the first one stops.
@Suite(.scratchDirectory("journal")) struct JournalFileIdentityTests {
    static let event = SampleEvent.studyStarted(name: "s")

    /// A journal `study.db` in `directory`, open for writing, holding one event; returns its path and its writer.
    static func writer(in directory: TemporaryDirectory) throws -> (path: String, journal: JournalStore<SampleEvent>) {
        let path = directory.path("study.db")
        let journal = try JournalStore<SampleEvent>(path: path)
        try journal.append(event)
        return (path, journal)
    }

    @Test func aDeletedJournalStopsTheWriterAtItsNextAppend() throws {
        let directory = try TemporaryDirectory()
        let (path, journal) = try Self.writer(in: directory)
        try journal.verifyFile()
        #expect(unlink(path) == 0)
        let error = try #require(throws: CoordinatorError.self) { try journal.append(Self.event) }
        #expect(error.code == .journalDeleted)
        #expect(error.description.hasPrefix("journal \(path): the journal file was deleted (or moved away) while the study ran; nothing more is written to it"))
        #expect(throws: CoordinatorError.self) { try journal.verifyFile() }
    }

    @Test func aJournalMovedAwayCountsAsDeleted() throws {
        let directory = try TemporaryDirectory()
        let (path, journal) = try Self.writer(in: directory)
        #expect(rename(path, directory.path("moved.db")) == 0)
        #expect((try? journal.append(Self.event)) == nil)
        #expect(throws: CoordinatorError.self) { try journal.verifyFile() }
    }

    @Test func aJournalReplacedByAnotherFileStopsTheWriter() throws {
        let directory = try TemporaryDirectory()
        let (path, journal) = try Self.writer(in: directory)
        // Another journal moved over the path (an atomic replace, as `mv backup.db study.db` does).
        let other = directory.path("other.db")
        do { try JournalStore<SampleEvent>(path: other).append(Self.event) }
        #expect(rename(other, path) == 0)
        let error = try #require(throws: CoordinatorError.self) { try journal.append(Self.event) }
        #expect(error.code == .journalReplaced)
        #expect(error.message.contains("the journal path now names another file (device:inode "))
        #expect(error.message.contains("this coordinator stops so that two journals never mix"))
        // The replacing file is untouched: one event, its own.
        #expect(try JournalStore<SampleEvent>(path: path, mode: .readOnly).count() == 1)
    }

    /// The journal's own lock lives on the file; the lock on `<journal>-lock` lives on the path. A second writer is
    /// refused while the first lives, even after the journal was deleted.
    @Test func aSecondWriterIsRefusedAfterTheJournalWasDeleted() throws {
        let directory = try TemporaryDirectory()
        let (path, first) = try Self.writer(in: directory)
        // The first writer must live through the second's attempt: an unused binding may be released early.
        try withExtendedLifetime(first) {
            #expect(FileManager.default.fileExists(atPath: JournalStore<SampleEvent>.lockFilePath(for: path)))
            #expect(unlink(path) == 0)
            let error = try #require(throws: CoordinatorError.self) { try JournalStore<SampleEvent>(path: path) }
            #expect(error.code == .journalInUse)
            #expect(error.message.hasPrefix("another process is writing this journal"))
        }
    }

    /// With the lock file removed as well (rm study.db*), a second writer can create a new journal at the path;
    /// the first then stops at its next commit instead of writing on, and the new file holds only the second
    /// writer's events.
    @Test func aSecondWriterOnARecreatedPathMakesTheFirstStop() throws {
        let directory = try TemporaryDirectory()
        let (path, first) = try Self.writer(in: directory)
        #expect(throws: CoordinatorError.self) { try JournalStore<SampleEvent>(path: path) }  // .inUse while it lives
        #expect(unlink(path) == 0)
        #expect(unlink(JournalStore<SampleEvent>.lockFilePath(for: path)) == 0)
        let second = try JournalStore<SampleEvent>(path: path)
        try second.append([Self.event, Self.event])
        let error = try #require(throws: CoordinatorError.self) { try first.append(Self.event) }
        #expect(error.code == .journalReplaced)
        #expect(try second.count() == 2)
        try second.verifyFile()
    }

    /// The lock file is released with the store: the next writer opens the journal.
    @Test func theLockFileIsReleasedWithTheWriter() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("study.db")
        do { try JournalStore<SampleEvent>(path: path).append(Self.event) }
        let next = try JournalStore<SampleEvent>(path: path)
        #expect(try next.count() == 1)
    }

    @Test func readersDoNotCheck() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("study.db")
        do { try JournalStore<SampleEvent>(path: path).append(Self.event) }
        let reader = try JournalStore<SampleEvent>(path: path, mode: .readOnly)
        #expect(unlink(path) == 0)
        try reader.verifyFile()
        #expect(try reader.count() == 1)
    }
}
