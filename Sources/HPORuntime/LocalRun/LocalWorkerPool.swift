import Foundation
import Glibc

/// `hpo worker` child processes for local mode, each in its own process group so a terminal's Ctrl-C reaches only
/// the coordinator (which then stops them in order); `stop` makes sure none is left behind. `replaceExited` starts a
/// new worker in the slot of one that died (SIGKILL, crash), up to a bound of restarts.
public final class LocalWorkerPool: @unchecked Sendable {
    /// Every child process id ever started, in start order (replacements included).
    public var pids: [Int32] {
        lock.lock()
        defer { lock.unlock() }
        return allPids
    }
    /// Workers started to replace ones that died; ≥ 0.
    public var restarts: Int {
        lock.lock()
        defer { lock.unlock() }
        return restartCount
    }
    private var allPids: [Int32] = []
    /// The process each slot runs now, and the arguments that start it again.
    private var slots: [(pid: pid_t, arguments: [String])] = []
    private var exited: [pid_t: Int32] = [:]
    private var restartCount = 0
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
                // Our own children on loopback: every kind, `command` included (a worker opts in to it without CURVE).
                "--objectives", ObjectiveFactory.availableKinds.joined(separator: ","),
            ]
            do {
                let pid = try LocalWorkerPool.spawn(arguments)
                allPids.append(pid)
                slots.append((pid, arguments))
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
        return reapLocked()
    }

    private func reapLocked() -> Int {
        var running = 0
        for pid in allPids where exited[pid] == nil {
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

    /// A worker that died and the one started in its place.
    public struct Replacement: Sendable, Hashable {
        /// The worker's slot (its `--name` is `<prefix>-<slot>`).
        public var slot: Int
        /// The process that exited.
        public var exitedPid: Int32
        /// How it ended, e.g. "killed by signal 9 (SIGKILL)" or "exit status 3".
        public var exitStatus: String
        /// The process started in its place.
        public var replacementPid: Int32
    }

    /// Starts a new worker in the place of each one that exited with a non-zero status or a signal (a worker told
    /// to SHUTDOWN exits 0 and is not replaced). Call it only while the study is dispatching.
    ///
    /// - Parameter maxRestarts: how many replacements the pool may start in its lifetime (e.g. 3 × workers).
    /// - Returns: the replacements started now, in slot order.
    /// - Throws: `StudySessionError` "local workers keep dying: <last exit status>" once a replacement would exceed
    ///   `maxRestarts`, or when a replacement cannot be spawned.
    public func replaceExited(maxRestarts: Int) throws(StudySessionError) -> [Replacement] {
        lock.lock()
        defer { lock.unlock() }
        reapLocked()
        var replacements: [Replacement] = []
        for slot in slots.indices {
            let (pid, arguments) = slots[slot]
            guard let status = exited[pid], status != 0 else { continue }
            let description = LocalWorkerPool.describe(status: status)
            guard restartCount < maxRestarts else {
                throw StudySessionError(
                    "local workers keep dying: \(description) (worker \(slot), pid \(pid)) after \(restartCount) "
                        + "restarts; run one by hand (hpo worker --connect …) to see why, or check memory limits")
            }
            let replacement = try LocalWorkerPool.spawn(arguments)
            restartCount += 1
            allPids.append(replacement)
            slots[slot].pid = replacement
            replacements.append(Replacement(slot: slot, exitedPid: pid, exitStatus: description, replacementPid: replacement))
        }
        return replacements
    }

    /// A `waitpid` status in words: "exit status N" or "killed by signal N (SIGNAME)".
    static func describe(status: Int32) -> String {
        let signal = status & 0x7f
        if signal == 0 {
            return "exit status \((status >> 8) & 0xff)"
        }
        let names: [Int32: String] = [
            SIGKILL: "SIGKILL", SIGTERM: "SIGTERM", SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS",
            SIGILL: "SIGILL", SIGINT: "SIGINT", SIGTRAP: "SIGTRAP", SIGFPE: "SIGFPE", SIGPIPE: "SIGPIPE",
        ]
        return "killed by signal \(signal)" + (names[signal].map { " (\($0))" } ?? "")
    }

    /// Sends `signal` to every worker still running (used on a second Ctrl-C too).
    public func signalRunning(_ signal: Int32) {
        lock.lock()
        let running = allPids.filter { exited[$0] == nil }
        lock.unlock()
        for pid in running {
            kill(pid, signal)
        }
    }
}
