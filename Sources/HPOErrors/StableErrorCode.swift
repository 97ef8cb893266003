/// A module's enumeration of stable error codes: what a ``CodedError`` carries and `hpo` prints as `error[<code>]`.
///
/// A conformer is a `String` enum whose raw values are snake_case and never change meaning (scripts match on them);
/// every case is listed in its role's *Error codes* table in docs/ (`CaseIterable` lets the tests check that).
public protocol StableErrorCode: RawRepresentable<String>, CaseIterable, Hashable, Sendable {}
