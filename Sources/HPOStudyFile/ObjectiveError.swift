/// An objective's options or the study's parameters do not fit the objective, or its kind is not in this build.
///
/// Raised before a study starts (`ObjectiveFactory.validate`) and when a worker builds an objective for a trial
/// (`ObjectiveFactory.make`). The message names the option or parameter, echoes the value and says what to do.
public struct ObjectiveError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The objective kind concerned, e.g. `"test-function"`.
    public var kind: String
    /// The option at fault (`path`, `argv`, `working_directory`), when one option is; study files use it for the
    /// key path and line of the error.
    public var option: String?
    /// What is wrong and what to do.
    public var message: String

    public init(kind: String, option: String? = nil, _ message: String) {
        self.kind = kind
        self.option = option
        self.message = message
    }

    public var description: String { "objective \"\(kind)\": \(message)" }
}
