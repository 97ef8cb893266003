import Foundation
import HPOCoordinatorCore
import HPOCoordinatorRuntime
import HPOObjectives
import HPOOutput
import HPORuntimeSupport
import HPOSearchSpace
import HPOStudyFile
import HPOWire
import Testing

/// The runtime roles' error codes (docs/coordinator.md, *Error codes*): stable, unique, snake_case, documented.
@Suite struct ErrorCodeTests {
    /// Every code of every role's error type, with the doc that lists it.
    static let codes: [(type: String, code: String, doc: String)] =
        CoordinatorError.Code.allCases.map { ("CoordinatorError", $0.rawValue, "coordinator.md") }
        + OutputError.Code.allCases.map { ("OutputError", $0.rawValue, "coordinator.md") }
        + CurveKeyError.Code.allCases.map { ("CurveKeyError", $0.rawValue, "coordinator.md") }
        + ReplayError.Code.allCases.map { ("ReplayError", $0.rawValue, "coordinator.md") }
        + WorkerError.Code.allCases.map { ("WorkerError", $0.rawValue, "worker.md") }
        + ChildProcessError.Code.allCases.map { ("ChildProcessError", $0.rawValue, "worker.md") }
        + StudyFileError.Code.allCases.map { ("StudyFileError", $0.rawValue, "study-file.md") }

    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs")

    @Test func codesAreSnakeCase() {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_")
        for entry in Self.codes {
            #expect(
                !entry.code.isEmpty && entry.code.allSatisfy(allowed.contains) && entry.code.first!.isLetter
                    && !entry.code.hasSuffix("_") && !entry.code.contains("__"),
                "\(entry.type) code \"\(entry.code)\" is not snake_case")
        }
    }

    /// A code names one case of one type, so a script can match on it without knowing which type raised it
    /// (`bad_keys` is the one name two roles share on purpose: a worker's and a coordinator's `--keys`).
    @Test func codesAreUniqueAcrossTheRoles() {
        var seen: [String: String] = [:]
        let sharedOnPurpose: Set<String> = ["bad_keys"]
        for entry in Self.codes {
            if let first = seen[entry.code], !(sharedOnPurpose.contains(entry.code) && first != entry.type) {
                Issue.record("\(entry.code) is a code of both \(first) and \(entry.type)")
            }
            seen[entry.code] = entry.type
        }
        #expect(Set(Self.codes.map(\.code)).count == Self.codes.count - 1)
    }

    /// The codes are part of the interface: each is listed in its role's doc table as `` `code` ``.
    @Test func everyCodeIsDocumented() throws {
        for entry in Self.codes {
            let text = try String(contentsOf: Self.docs.appendingPathComponent(entry.doc), encoding: .utf8)
            #expect(text.contains("`\(entry.code)`"), "\(entry.type) code \(entry.code) is not in docs/\(entry.doc)")
        }
    }

    /// A few codes pinned by value, so that renaming a case cannot silently change what scripts match on.
    @Test func codesKeepTheirSpelling() {
        #expect(CoordinatorError.Code.journalInUse.rawValue == "journal_in_use")
        #expect(CoordinatorError.Code.journalHoldsStudy.rawValue == "journal_holds_study")
        #expect(StudyFileError.Code.unknownKey.rawValue == "unknown_key")
        #expect(WorkerError.Code.gpuCountMismatch.rawValue == "gpu_count_mismatch")
        #expect(OutputError.Code.statusNoAnswer.rawValue == "status_no_answer")
        #expect(CurveKeyError.Code.badKey.rawValue == "key_invalid")
    }

    @Test func theLineNamesTheCodeFirst() {
        let error = CoordinatorError(.journalInUse, path: "s.db", "another process is writing this journal")
        #expect(error.errorLine == "error[journal_in_use]: journal s.db: another process is writing this journal")
        #expect(error.exitCode == 65)
        #expect(CoordinatorError(.workersKeepDying, "local workers keep dying").exitCode == 1)
    }

    /// Errors raised for real carry the code of their case.
    @Test func realErrorsCarryTheirCode() throws {
        let missing = "/nonexistent-\(UUID().uuidString)/study.yaml"
        let file = try #require(throws: StudyFileError.self) { try StudyConfig.load(contentsOf: missing) }
        #expect(file.code == .fileUnreadable)
        let journal = try #require(throws: CoordinatorError.self) {
            try JournalStore<JournalEvent>(path: "/nonexistent-\(UUID().uuidString).db", mode: .readOnly)
        }
        #expect(journal.code == .journalCannotOpen && journal.errorLine.hasPrefix("error[journal_cannot_open]: journal /nonexistent-"))
        let objective = try #require(throws: StudyFileError.self) {
            try ObjectiveFactory.validate(ObjectiveDescriptor(kind: "no-such-kind", options: [:]), space: SearchSpace([]))
        }
        #expect(objective.code == .objectiveUnknownKind && objective.description.hasPrefix("objective \"no-such-kind\": "))
    }
}
