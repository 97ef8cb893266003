import HPOErrors
import Testing

/// Codes as a role declares them: stable snake_case raw values.
private enum RoleCode: String, StableErrorCode {
    case journalInUse = "journal_in_use"
    case badKeys = "bad_keys"
}

/// Codes as a pure module declares them: for code that reacts, not printed as `error[…]`.
private enum MathCode: String, Sendable, Hashable {
    case shapeMismatch
}

private typealias RoleError = HPOError<RoleCode>
private typealias PureError = HPOError<MathCode>

/// ``HPOError``, the one error shape behind each module's alias, and ``CodedError``'s `error[<code>]` line.
@Suite struct HPOErrorTests {
    @Test func theDescriptionIsTheMessage() {
        let error = RoleError(.journalInUse, "journal s.db: another process is writing this journal")
        #expect(error.code == .journalInUse)
        #expect(error.message == "journal s.db: another process is writing this journal")
        #expect("\(error)" == error.message)
        #expect(RoleError.Code.allCases == [.journalInUse, .badKeys])
    }

    /// The line `hpo` prints comes from the stable code's raw value, not the case name.
    @Test func stableCodesMakeACodedError() throws {
        let thrown: any Error = RoleError(.badKeys, "no key pair in /keys; run hpo keygen")
        let coded = try #require(thrown as? any CodedError)
        #expect(coded.codeText == "bad_keys")
        #expect(coded.errorLine == "error[bad_keys]: no key pair in /keys; run hpo keygen")
    }

    /// A pure module's codes are not stable texts: `hpo` prints such an error without a code, as before.
    @Test func otherCodesDoNot() {
        let thrown: any Error = PureError(.shapeMismatch, "a is 2×3, b is 4×1")
        #expect(thrown as? any CodedError == nil)
        #expect("\(thrown)" == "a is 2×3, b is 4×1")
    }

    /// Each module's alias is a type of its own: catching one does not catch another.
    @Test func aliasesWithOtherCodesAreOtherTypes() {
        let thrown: any Error = PureError(.shapeMismatch, "x")
        #expect(thrown as? RoleError == nil)
        #expect(thrown as? PureError == PureError(.shapeMismatch, "x"))
        #expect(RoleError(.badKeys, "a") != RoleError(.badKeys, "b"))
        #expect(Set([RoleError(.badKeys, "a"), RoleError(.badKeys, "a")]).count == 1)
    }
}
