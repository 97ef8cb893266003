public import HPOSearchSpace
public import HPOWire
import HPOCoordinatorRuntime

/// `hpo enqueue` on a running study: sends ENQUEUE to its coordinator and reads the answer (docs/protocol.md).
public enum EnqueueQuery {
    /// How a running coordinator answered, or that it did not.
    public enum Answer: Sendable, Equatable {
        /// The trial was journaled and queued.
        case queued(EnqueueReply)
        /// The coordinator refused it (ERROR: the code and its message).
        case refused(ErrorReply.Code, String)
    }

    /// Sends one ENQUEUE with `parameters` (and the `study` the caller means, when known) and returns the answer.
    ///
    /// - Throws: ``OutputError`` when no answer arrives within the request's timeout (`status_no_answer`), or the answer is neither
    ///   ENQUEUE_REPLY nor ERROR (`enqueue_bad_reply`); a ZeroMQ or wire error when the socket cannot be set up or the answer does not decode.
    public static func run(_ parameters: Assignment, study: String?, request: CoordinatorRequest) throws -> Answer {
        switch try request.send(.enqueue(Enqueue(parameters: parameters, study: study))) {
        case .enqueueReply(let reply):
            return .queued(reply)
        case .error(let error):
            return .refused(error.code, error.message)
        case let other:
            throw OutputError(
                .enqueueBadReply, "the peer at \(request.endpoint) answered \(other.typeName) to ENQUEUE; is it an hpo coordinator?")
        }
    }
}
