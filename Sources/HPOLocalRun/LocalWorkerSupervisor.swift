import HPOCoordinatorCore
public import Logging
import Synchronization
public import HPOCoordinatorRuntime

/// Replaces local workers that die while a study dispatches (`hpo run`): every 200 ms it asks the pool for
/// workers that exited with a non-zero status or a signal, starts one in each one's place and logs it as a warning.
/// Past `maxRestarts` replacements it stops the session at once and keeps the reason in `failure`.
public final class LocalWorkerSupervisor: Sendable {
    private let task: Task<Void, Never>
    private let failureText: FailureText

    /// The reason the supervisor stopped the session, shared with its task.
    private final class FailureText: Sendable {
        let value = Mutex<String?>(nil)
    }

    /// Starts watching `pool`; call `cancel()` once the session finished.
    ///
    /// - Parameter maxRestarts: replacements allowed for the whole session (e.g. 3 × workers).
    public init(pool: LocalWorkerPool, service: CoordinatorService, maxRestarts: Int, logger: Logger) {
        let failure = FailureText()
        self.failureText = failure
        task = Task.detached {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(200))
                // A stopping study shuts its workers down; those are not replaced.
                guard !Task.isCancelled, !service.snapshot.isStopping else { continue }
                do throws(CoordinatorError) {
                    for replaced in try pool.replaceExited(maxRestarts: maxRestarts) {
                        logger.warning(
                            """
                            local worker \(replaced.slot) (pid \(replaced.exitedPid)) exited unexpectedly: \
                            \(replaced.exitStatus); started pid \(replaced.replacementPid) in its place \
                            (restart \(pool.restarts) of at most \(maxRestarts))
                            """)
                    }
                } catch {
                    logger.error("\(error.description); stopping the study")
                    failure.value.withLock { $0 = error.description }
                    service.stop(immediately: true)
                    return
                }
            }
        }
    }

    /// "local workers keep dying: <last exit status> …" once the bound was passed and the session stopped; else nil.
    public var failure: String? {
        failureText.value.withLock { $0 }
    }

    /// Stops watching.
    public func cancel() {
        task.cancel()
    }
}
