import Foundation
import Glibc
import Synchronization

/// The log file of one trial on a worker (docs/trial-logs.md): `DIR/trial-<id>.log`, appended to by each attempt.
///
/// It holds the `command` program's stdout and stderr lines as they came, and the worker's own lines about the
/// attempt, each starting with `[hpo] `: its start (attempt, worker, time), every intermediate value (the `mlp`'s
/// per-epoch lines) and its end. A file stops growing at ``cap`` bytes; one line then says how much was dropped.
final class TrialLog: Sendable {
    /// The largest a trial's log file grows, in bytes: 10 MiB.
    static let cap = 10 << 20

    /// The file's path.
    let path: String
    private let state: Mutex<(descriptor: Int32, size: Int, dropped: Int)>

    /// Opens (creating the directory and the file) `directory/trial-<trialID>.log` for appending, and writes the
    /// attempt's first line; nil when it cannot (the reason goes to `problem`).
    init?(directory: String, trialID: Int, attempt: Int, worker: String, problem: (String) -> Void) {
        path = TrialLogPath.file(directory: directory, trial: trialID)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            problem("cannot create the trial log directory \(directory): \(error.localizedDescription); trial logs are off")
            return nil
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            problem("cannot open the trial log \(path): \(String(cString: strerror(errno))); this trial is not logged")
            return nil
        }
        var status = stat()
        let size = fstat(descriptor, &status) == 0 ? Int(status.st_size) : 0
        state = Mutex((descriptor, size, 0))
        let now = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        write("[hpo] trial \(trialID) attempt \(attempt) started on worker \(worker) at \(now)", always: true)
    }

    /// Appends `line` and a newline, unless the file reached ``cap`` (`always`: even then).
    func write(_ line: String, always: Bool = false) {
        state.withLock { state in
            guard state.descriptor >= 0 else { return }
            let bytes = Array((line + "\n").utf8)
            guard always || state.size + bytes.count <= Self.cap else {
                state.dropped += bytes.count
                return
            }
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(state.descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 && errno == EINTR { continue }
                    guard written > 0 else { return }
                    offset += written
                }
            }
            state.size += bytes.count
        }
    }

    /// Writes a note of what the cap dropped (if anything) and the attempt's last line (`how` it ended), both past
    /// the cap, and closes the file.
    func close(_ how: String) {
        let dropped = state.withLock { $0.dropped }
        if dropped > 0 {
            write("[hpo] log capped at \(Self.cap) bytes: \(dropped) bytes of output were dropped", always: true)
        }
        write("[hpo] \(how)", always: true)
        state.withLock { state in
            guard state.descriptor >= 0 else { return }
            Glibc.close(state.descriptor)
            state.descriptor = -1
        }
    }

    deinit {
        state.withLock { state in
            if state.descriptor >= 0 { Glibc.close(state.descriptor) }
        }
    }
}
