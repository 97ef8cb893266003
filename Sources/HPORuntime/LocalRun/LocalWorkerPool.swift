import Foundation
import Glibc

/// `hpo worker` child processes for local mode, each in its own process group so a terminal's Ctrl-C reaches only
/// the coordinator (which then stops them in order); `stop` makes sure none is left behind.
public final class LocalWorkerPool: @unchecked Sendable {
    /// The children's process ids, in start order.
    public private(set) var pids: [Int32] = []
    private var exited: [pid_t: Int32] = [:]
    private let lock = NSLock()

    /// Starts `count` workers running `executable worker --connect endpoint …`.
    ///
    /// - Parameters:
    ///   - executable: the `hpo` binary (local mode passes `/proc/self/exe`).
    ///   - heartbeat: the workers' heartbeat interval.
    ///   - coordinatorTimeout: a worker exits after the coordinator was silent this long (bounds how long workers
    ///     outlive a coordinator killed with SIGKILL).
    /// - Throws: `StudySessionError` when a process cannot be spawned (the ones already started are stopped).
    public init(
        count: Int, executable: String, endpoint: String, heartbeat: Duration, coordinatorTimeout: Duration,
        logLevel: String = "warning", namePrefix: String = "local"
    ) throws(StudySessionError) {
        for index in 0..<count {
            let arguments = [
                executable, "worker", "--connect", endpoint, "--name", "\(namePrefix)-\(index)",
                "--heartbeat", LocalWorkerPool.spell(heartbeat), "--coordinator-timeout", LocalWorkerPool.spell(coordinatorTimeout),
                "--log-level", logLevel, "--parent-pid", "\(getpid())",
            ]
            do {
                pids.append(try LocalWorkerPool.spawn(arguments))
            } catch {
                stop(grace: .seconds(1))
                throw error
            }
        }
    }

    /// Milliseconds, the way `hpo worker` parses durations (`250ms`).
    private static func spell(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return "\(max(1, milliseconds))ms"
    }

    /// posix_spawn with a new process group and OPENBLAS_NUM_THREADS=1 (one BLAS thread per worker).
    private static func spawn(_ arguments: [String]) throws(StudySessionError) -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        sigaddset(&defaultSignals, SIGINT)
        sigaddset(&defaultSignals, SIGTERM)
        sigaddset(&defaultSignals, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid = pid_t()
        let status = posix_spawn(&pid, arguments[0], nil, &attributes, argv, envp)
        guard status == 0 else {
            throw StudySessionError(
                "cannot start a worker process \(arguments[0]): \(String(cString: strerror(status))); "
                    + "check that the hpo binary is executable")
        }
        return pid
    }

    /// Reaps children that exited; returns how many are still running.
    @discardableResult
    public func reap() -> Int {
        lock.lock()
        defer { lock.unlock() }
        var running = 0
        for pid in pids where exited[pid] == nil {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result == -1 && errno == ECHILD) {
                exited[pid] = status
            } else {
                running += 1
            }
        }
        return running
    }

    /// Waits up to `grace` for the workers to exit on their own (after SHUTDOWN), then sends SIGTERM, waits one
    /// more second, then SIGKILL: no worker outlives this call.
    public func stop(grace: Duration) {
        let clock = ContinuousClock()
        let deadline = clock.now + grace
        while reap() > 0 && clock.now < deadline {
            usleep(20_000)
        }
        if reap() > 0 {
            signalRunning(SIGTERM)
            let termDeadline = clock.now + .seconds(1)
            while reap() > 0 && clock.now < termDeadline {
                usleep(20_000)
            }
        }
        if reap() > 0 {
            signalRunning(SIGKILL)
            while reap() > 0 {
                usleep(10_000)
            }
        }
    }

    /// Sends `signal` to every worker still running (used on a second Ctrl-C too).
    public func signalRunning(_ signal: Int32) {
        lock.lock()
        let running = pids.filter { exited[$0] == nil }
        lock.unlock()
        for pid in running {
            kill(pid, signal)
        }
    }
}
