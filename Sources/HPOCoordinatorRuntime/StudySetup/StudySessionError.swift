/// Why a study session could not start: the message names the file or key at fault and says what to do.
public struct StudySessionError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem it is, which decides the exit status of `hpo run` / `hpo coordinator`.
    public enum Category: Sendable, Hashable {
        /// The study file, its objective or its journal (used, locked, for another study, damaged): exit 65.
        case data
        /// Anything else (a process that cannot be spawned, a socket, a peer that does not answer): exit 1.
        case runtime
    }

    public var description: String
    public var category: Category

    public init(_ description: String, category: Category = .runtime) {
        self.description = description
        self.category = category
    }

    /// The process exit status for this error: 65 (EX_DATAERR) for `.data`, else 1.
    public var exitCode: Int32 {
        category == .data ? 65 : 1
    }
}
