import Foundation
import Glibc

/// Child processes started with `posix_spawn` and reaped with `waitpid` by the benchmark itself (Foundation's
/// `Process` would reap them on its own), with standard input from /dev/null and one BLAS thread.
enum SpawnedProcess {
    /// Starts `binary arguments…` with standard output and error to the files `stdout` and `stderr`.
    ///
    /// - Returns: the child's pid.
    /// - Throws: `BenchmarkFailure` with the system's reason when it cannot be started.
    static func start(_ binary: String, _ arguments: [String], stdout: String, stderr: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = HPOExecutable.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, binary, &actions, nil, argv, envp)
        guard result == 0 else {
            throw BenchmarkFailure("cannot start \(binary): \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// Whether `pid` (a child of this process) has not exited yet; reaps it if it has.
    static func isRunning(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }

    /// Blocks until the child `pid` exits and reaps it.
    static func waitForExit(_ pid: pid_t) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    /// Waits until the child `pid` exits (and reaps it) or `deadline` passes, checking every `interval`.
    ///
    /// - Returns: false when the deadline passed first: the child still runs.
    static func waitForExit(_ pid: pid_t, until deadline: ContinuousClock.Instant, checkingEvery interval: Duration) -> Bool {
        while isRunning(pid) {
            guard ContinuousClock.now < deadline else { return false }
            // Polling a child's exit while this process's other threads run (an attack, a sampler): time must pass.
            usleep(useconds_t(interval.inMicroseconds))
        }
        return true
    }
}
