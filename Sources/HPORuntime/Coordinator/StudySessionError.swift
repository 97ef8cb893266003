/// Why a study session could not start: the message names the file or key at fault and says what to do.
public struct StudySessionError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
