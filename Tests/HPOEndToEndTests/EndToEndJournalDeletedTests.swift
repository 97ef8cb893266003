import Foundation
import Glibc
import HPOTestSupport
import Testing

/// A journal deleted while `hpo run` writes it stops the study (issue #7 §5); the unit tests are in
/// HPOCoordinatorRuntimeTests/JournalFileIdentityTests.
@Suite(.scratchDirectory("e2e")) struct EndToEndJournalDeletedTests {
    /// End to end: `hpo run` whose journal is deleted mid-study stops with exit 1 and says the journal was deleted,
    /// instead of finishing "completed" into a file that no longer exists.
    @Test func hpoRunStopsWhenItsJournalIsDeleted() throws {
        let directory = try ScratchDirectory.current()
        let study = try BraninStudy.write(in: directory, name: "gone", trials: 2_000, duration: 0.01)
        let journal = directory.appendingPathComponent("gone.db").path
        let run = try HPOProcess(["run", study, "--workers", "2"])
        let started = EndToEndRandomResumeTests.waitForCompleted(atLeast: 20, journal: journal, process: run, timeout: 120)
        #expect(started, "no trial completed: \(run.standardError.suffix(2_000))")
        #expect(unlink(journal) == 0)
        let status = run.wait(timeout: 120)
        #expect(status == 1, "exit status \(String(describing: status)): \(run.standardError.suffix(2_000))")
        #expect(run.standardError.contains("the journal file was deleted (or moved away) while the study ran"), "\(run.standardError.suffix(2_000))")
    }
}
