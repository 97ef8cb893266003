import HPORuntimeSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension CommandSession {
    /// How a command trial is stopped early (pruned, cancelled, the worker shutting down): docs/objective-protocol.md,
    /// *Stopping early*.
    struct Stopping: Sendable {
        /// SIGTERM → SIGKILL delay, or (cooperative) how long the program has to exit on its own.
        var gracePeriod: Duration
        /// Only create `file` and wait, instead of sending SIGTERM at once.
        var cooperative: Bool
        /// `$HPO_PRUNE_FILE`: created, holding the reason, when the stop begins.
        var file: String

        /// Creates the stop file, then stops the process group: SIGTERM and SIGKILL after the grace period, or
        /// (cooperative) SIGKILL once the grace period passed without the leader exiting. Either way the group is
        /// gone within the grace period (plus reaping).
        func stop(_ process: ChildProcess, reason: String, line: (ChildProcess.Stream, String) -> Void) {
            Self.writeStopFile(file, reason: reason)
            if cooperative {
                _ = process.wait(until: ContinuousClock.now + gracePeriod, line: line)
                process.finish(line: line)
            } else {
                process.terminate(grace: gracePeriod, line: line)
            }
        }

        /// Creates `$HPO_PRUNE_FILE` at `path` holding `reason` and a newline: written whole, then renamed in, so a
        /// script that sees the file can read the whole reason.
        static func writeStopFile(_ path: String, reason: String) {
            let partial = path + ".partial"
            if FileManager.default.createFile(atPath: partial, contents: Data((reason + "\n").utf8)) {
                _ = rename(partial, path)
            }
        }
    }
}
