import HPOWire
import Testing
import HPOObjectives
import HPOStudyFile

/// A misspelt objective option gets "did you mean …?" with the closest known option (issue #10 §6).
@Suite struct SpellingSuggestionTests {
    @Test func mlpOptionsAndSettings() throws {
        let data = try #require(throws: StudyFileError.self) { try MLPObjective(options: ["datset": .string("digits")]) }
        #expect("\(data)".contains("unknown option \"datset\"; did you mean \"dataset\"?"), "\(data)")
        let setting = try #require(throws: StudyFileError.self) { try MLPObjective(options: ["epochz": .number(5)]) }
        #expect("\(setting)".contains("did you mean \"epochs\"?"), "\(setting)")
        let far = try #require(throws: StudyFileError.self) { try MLPObjective(options: ["quantum": .number(5)]) }
        #expect(!"\(far)".contains("did you mean"), "no suggestion when nothing is close: \(far)")
    }

    @Test func commandAndTestFunctionOptions() throws {
        let command = try #require(throws: StudyFileError.self) {
            try CommandObjective(options: ["argv": .array([.string("true")]), "timout": .string("5s")])
        }
        #expect("\(command)".contains("did you mean \"timeout\"?"), "\(command)")
        let function = try #require(throws: StudyFileError.self) {
            try TestFunctionObjective(options: ["functon": .string("branin")])
        }
        #expect("\(function)".contains("did you mean \"function\"?"), "\(function)")
    }
}
