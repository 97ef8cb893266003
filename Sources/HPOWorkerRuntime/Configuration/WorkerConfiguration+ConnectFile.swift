public import HPOObjectives
import Foundation

extension WorkerConfiguration {
    /// Waits for the endpoint file `hpo coordinator --endpoint-file PATH` writes, and reads the endpoint in it.
    ///
    /// The file is checked every 200 ms (it lives on shared storage, where inotify does not see other nodes'
    /// writes); the coordinator writes it atomically (rename), so a file that exists is complete.
    ///
    /// - Parameters:
    ///   - path: the file.
    ///   - timeout: how long to wait for it.
    /// - Returns: the endpoint (the file's first line).
    /// - Throws: `WorkerError` when the file does not appear in time or does not hold a valid endpoint.
    public static func endpoint(fromFile path: String, waitingUpTo timeout: Duration) throws(WorkerError) -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let data = FileManager.default.contents(atPath: path) {
                let line = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first
                    .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                if let problem = endpointProblem(line) {
                    throw WorkerError(.badConnectFile, "--connect-file \(path): \(problem)")
                }
                return line
            }
            guard ContinuousClock.now < deadline else {
                throw WorkerError(
                .connectFileTimeout,
                    "--connect-file: \(path) did not appear within \(timeout.formattedSeconds); is the coordinator "
                        + "started with --endpoint-file \(path)? (raise --coordinator-timeout to wait longer)")
            }
            // Polling a file on shared storage: real time must pass between looks.
            Thread.sleep(forTimeInterval: 0.2)
        }
    }
}
