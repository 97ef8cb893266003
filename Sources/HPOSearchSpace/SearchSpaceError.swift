/// Why a search space, a spec or an assignment was rejected.
///
/// The message names the parameter, echoes the offending values and says what to do, e.g.
/// `parameter "lr": log scale needs low > 0, got low=0.0; raise low or use log: false`.
public struct SearchSpaceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of problem, for code that must react to it.
    public enum Code: String, Sendable, Hashable {
        /// A parameter's definition is inconsistent (bounds, step, log, choices).
        case invalidParameter
        /// Two parameters share a name, or a name is empty.
        case invalidName
        /// A spec in a study file is malformed (unknown key, missing key, wrong type).
        case invalidSpec
        /// A value in an assignment is out of bounds, off the step grid, of the wrong type or not a choice.
        case invalidValue
        /// An assignment names a parameter that the space does not have.
        case unknownParameter
        /// An assignment lacks a parameter that the space has.
        case missingParameter
    }

    /// The class of problem.
    public var code: Code
    /// The parameter concerned, if any.
    public var parameter: String?
    /// What happened and what to do, without the parameter prefix.
    public var message: String

    public init(_ code: Code, parameter: String?, _ message: String) {
        self.code = code
        self.parameter = parameter
        self.message = message
    }

    /// `parameter "<name>": <message>`, or just the message when no parameter is concerned.
    public var description: String {
        if let parameter { "parameter \"\(parameter)\": \(message)" } else { message }
    }
}
