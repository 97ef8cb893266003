import Foundation
import HPOCoordinatorCore
@testable import HPOCoordinatorRuntime
import HPOOptimizer
import HPOOutput
import HPOSearchSpace
import Testing

/// `hpo show`'s rendering of a journal.
@Suite struct StudyHistoryRenderingTests {
    /// A categorical choice with a line break split its table row in two (`hpo show`).
    @Test func theTableKeepsOneLinePerTrialWhateverTheValues() {
        let events: [JournalEvent] = [
            .trialProposed(trial: TrialID(0), parameters: ["c": .string("new\nline\tand tab")]),
            .trialProposed(trial: TrialID(1), parameters: ["c": .string(String(repeating: "x", count: 100))]),
        ]
        let entries = events.enumerated().map {
            JournalEntry(sequence: Int64($0.offset + 1), time: Date(timeIntervalSince1970: 0), type: "trialProposed", event: $0.element)
        }
        let lines = StudyHistory(entries: entries).render(.table).split(separator: "\n").map(String.init)
        #expect(lines.count == 4)   // headline, header, two trials (the blank line is dropped by split)
        #expect(lines[2].contains(#"new\nline\tand tab"#))
        #expect(lines[3].contains(String(repeating: "x", count: 39) + "…"))
    }
}
