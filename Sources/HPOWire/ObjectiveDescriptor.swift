/// Which objective a worker runs for a trial, and its options.
///
/// `kind` names an objective implementation (`"mlp"`, `"command"`, `"test-function"`, `"null"`); `options` are the
/// objective's own keys from the study file, passed through unchanged and validated by the worker's objective factory.
public struct ObjectiveDescriptor: Sendable, Hashable, Codable {
    /// The objective implementation, e.g. `"mlp"`.
    public var kind: String
    /// The objective's options, e.g. `["dataset": "digits", "epochs": 50]`.
    public var options: [String: JSONValue]

    public init(kind: String, options: [String: JSONValue] = [:]) {
        self.kind = kind
        self.options = options
    }
}
