/// Why a received message was rejected: names the message type and the field, and says what was wrong.
///
/// Example: `TRIAL: field "attempt": expected an integer >= 0, got a string`.
public struct WireError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of problem.
    public enum Code: String, Sendable, Hashable {
        /// The message does not have exactly three frames.
        case frameCount
        /// Frame 0 does not start with the protocol tag `hpo/`.
        case wrongTag
        /// Frame 0 names a protocol version this side does not speak (see ``WireError/version``).
        case unsupportedVersion
        /// A frame is larger than its cap (``WireSizeLimits``); nothing was parsed.
        case messageTooLarge
        /// Frame 1 is not a known message type.
        case unknownType
        /// The body is not valid UTF-8 JSON, or not an object.
        case malformedBody
        /// A required field is absent.
        case missingField
        /// A field has the wrong JSON type.
        case wrongType
        /// A number is NaN or infinite (written as `NaN`/`Infinity`, or too large for a double).
        case nonFiniteNumber
        /// A field has the right type but a value out of its range (e.g. a negative attempt).
        case invalidValue
    }

    /// The class of problem.
    public var code: Code
    /// The message type (`"TRIAL"`), when the frames got that far.
    public var messageType: String?
    /// The field's path in the body (`"attempt"`, `"metrics.loss"`, `"running[0].trial_id"`), if one field is at fault.
    public var field: String?
    /// What was wrong, echoing the value where useful.
    public var message: String
    /// For `.unsupportedVersion`: the version the peer spoke.
    public var version: Int?

    public init(_ code: Code, messageType: String? = nil, field: String? = nil, _ message: String, version: Int? = nil) {
        self.code = code
        self.messageType = messageType
        self.field = field
        self.message = message
        self.version = version
    }

    /// `TYPE: field "name": message`, leaving out the parts that are unknown.
    public var description: String {
        var text = ""
        if let messageType { text += "\(messageType): " }
        if let field { text += "field \"\(field)\": " }
        return text + message
    }
}
