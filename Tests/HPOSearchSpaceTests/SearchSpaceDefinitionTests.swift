import HPOSearchSpace
import Testing

@Suite struct SearchSpaceDefinitionTests {
    struct Case: Sendable, CustomStringConvertible {
        var parameter: Parameter
        var message: String
        var description: String { message }
    }

    static let cases: [Case] = [
        Case(parameter: .float("lr", 0, 0.1, log: true),
             message: #"parameter "lr": log scale needs low > 0, got low=0.0; raise low or use log: false"#),
        Case(parameter: .float("x", 1, 0),
             message: #"parameter "x": needs low < high, got low=1.0, high=0.0; swap them"#),
        Case(parameter: .float("x", 2, 2),
             message: #"parameter "x": low == high (2.0) leaves a single value; use type: fixed with value: 2.0"#),
        Case(parameter: .float("x", 0, .infinity),
             message: #"parameter "x": bounds must be finite numbers, got low=0.0, high=inf; set both to finite values"#),
        Case(parameter: .float("x", 0, 1, step: 0.3),
             message: #"parameter "x": high - low = 1.0 is not a multiple of step=0.3; set high to 0.8999999999999999 (low + k·step)"#),
        Case(parameter: .float("x", 0, 1, step: -0.1),
             message: #"parameter "x": step must be a positive number, got step=-0.1; use a step > 0 or drop it"#),
        Case(parameter: .float("x", 0, 1, step: 2),
             message: #"parameter "x": step=2.0 is wider than high - low = 1.0; use a smaller step"#),
        Case(parameter: .float("x", 1, 10, log: true, step: 1),
             message: #"parameter "x": step and log: true cannot be combined (got step=1.0); drop step or use log: false"#),
        Case(parameter: .int("n", 5, 1),
             message: #"parameter "n": needs low < high, got low=5, high=1; swap them"#),
        Case(parameter: .int("n", 0, 100, log: true),
             message: #"parameter "n": log scale needs low >= 1, got low=0; raise low or use log: false"#),
        Case(parameter: .int("batch", 32, 250, step: 32),
             message: #"parameter "batch": high - low = 218 is not a multiple of step=32; set high to 224 (low + k·step)"#),
        Case(parameter: .int("n", 0, 10, step: 0),
             message: #"parameter "n": step must be a positive integer, got step=0; use a step >= 1 or drop it"#),
        Case(parameter: .int("n", .min, .max),
             message: #"parameter "n": range [-9223372036854775808, 9223372036854775807] is wider than 2^53; narrow it or use type: float"#),
        Case(parameter: .categorical("opt", []),
             message: #"parameter "opt": needs at least one choice; list them under choices:"#),
        Case(parameter: .categorical("opt", [.string("sgd"), .string("adam"), .string("sgd")]),
             message: #"parameter "opt": choice sgd (number 3) appears twice in [sgd, adam, sgd]; remove the duplicate"#),
        Case(parameter: .categorical("k", [.int(1), .double(1.0)]),
             message: #"parameter "k": choice 1.0 (number 2) appears twice in [1, 1.0]; remove the duplicate"#),
        // Strings that read as numbers or booleans are quoted, so "1" and 1 do not look alike (QA).
        Case(parameter: .categorical("k", [.int(1), .string("1"), .double(1.0), .string("true")]),
             message: #"parameter "k": choice 1.0 (number 3) appears twice in [1, "1", 1.0, "true"]; remove the duplicate"#),
        Case(parameter: .categorical("k", [.double(-0.0), .bool(false), .string("0"), .int(0)]),
             message: #"parameter "k": choice 0 (number 4) appears twice in [-0.0, false, "0", 0]; remove the duplicate"#),
        Case(parameter: .categorical("k", (0..<30).map { .int($0) } + [.int(7)]),
             message: #"parameter "k": choice 7 (number 31) appears twice in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, … (31 choices)]; remove the duplicate"#),
        Case(parameter: .categorical("k", [.double(.nan)]),
             message: #"parameter "k": choice nan is not a finite number; remove it"#),
        Case(parameter: .fixed("k", .double(.infinity)),
             message: #"parameter "k": fixed value inf is not a finite number; use a finite value"#),
    ]

    @Test(arguments: cases) func inconsistentDefinitionsAreRejectedWithAHelpfulMessage(_ testCase: Case) throws {
        let error = try #require(searchSpaceError { try SearchSpace([testCase.parameter]) })
        #expect(error.code == .invalidParameter)
        #expect(error.parameter == testCase.parameter.name)
        #expect(error.description == testCase.message)
    }

    /// Choices that only look alike are distinct: a string is never a number or a boolean; the duplicate check is a
    /// hash lookup per choice, so a long list is checked in linear time (it compared every pair before).
    @Test func distinctChoicesOfEveryKindAreAccepted() throws {
        let mixed: [ParameterValue] = [.bool(true), .string("true"), .bool(false), .int(1), .string("1"), .double(1.5)]
        #expect(try SearchSpace([.categorical("k", mixed)]).dimensionCount == mixed.count)
        let many = (0..<50_000).map { ParameterValue.string("c\($0)") } + (0..<50_000).map { ParameterValue.int($0) }
        #expect(searchSpaceError { _ = try SearchSpace([.categorical("k", many)]) } == nil)
        let late = many + [.double(49_999.0)]
        #expect(searchSpaceError { _ = try SearchSpace([.categorical("k", late)]) }?.message
            .hasPrefix("choice 49999.0 (number 100001) appears twice in [c0, c1,") == true)
    }

    @Test func duplicateAndEmptyNamesAreRejected() throws {
        let duplicate = try #require(searchSpaceError { try SearchSpace([.int("n", 0, 1), .float("n", 0, 1)]) })
        #expect(duplicate.code == .invalidName)
        #expect(duplicate.description == #"parameter "n": is defined twice; rename or remove one of them"#)
        let empty = try #require(searchSpaceError { try SearchSpace([.int("", 0, 1)]) })
        #expect(empty.description == "parameter number 1 has an empty name; give it a name")
    }
}
