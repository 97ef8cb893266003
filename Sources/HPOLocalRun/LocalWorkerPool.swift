import Foundation
import Glibc
public import HPOCoordinatorRuntime
import HPOObjectives
import HPORuntimeSupport

/// `hpo worker` child processes for local mode, each in its own process group so a terminal's Ctrl-C reaches only
/// the coordinator (which then stops them in order); `stop` makes sure none is left behind. `replaceExited` starts a
/// new worker in the slot of one that died (SIGKILL, crash), up to a bound of restarts.
///
/// Workers are `ChildProcess`es writing to this process's stdout and stderr; their exits are waited for by event
/// (pidfd), on a thread of their own, never on Swift's cooperative pool. They stop on their own when this process
/// dies (`--parent-pid`), so they are not `diesWithParent` children (that would tie them to the spawning thread).
public final class LocalWorkerPool: @unchecked Sendable {
    /// Every child process id ever started, in start order (replacements included).
    public var pids: [Int32] {
        lock.withLock { all.map(\.pid) }
    }
    /// Workers started to replace ones that died; ≥ 0.
    public var restarts: Int {
        lock.withLock { restartCount }
    }
    private var all: [ChildProcess] = []
    /// The process each slot runs now, and the arguments that start it again.
    private var slots: [(process: ChildProcess, arguments: [String])] = []
    private var restartCount = 0
    private let lock = NSLock()

    /// Starts `count` workers running `executable worker --connect endpoint …`.
    ///
    /// - Parameters:
    ///   - executable: the `hpo` binary (local mode passes `/proc/self/exe`).
    ///   - heartbeat: the workers' heartbeat interval.
    ///   - coordinatorTimeout: a worker exits after the coordinator was silent this long (bounds how long workers
    ///     outlive a coordinator killed with SIGKILL).
    ///   - logLevel: the workers' `--log-level` (`hpo run --log-level` when given).
    ///   - trialLogs: the workers' `--trial-logs` directory; nil for none.
    ///   - extraArguments: more `hpo worker` arguments for worker i (e.g. `--slots 2 --gpus 0,1`); each worker also
    ///     gets `--worker-index i`, its trials' `HPO_WORKER_INDEX`.
    /// - Throws: `CoordinatorError` when a process cannot be spawned (the ones already started are stopped).
    public init(
        count: Int, executable: String, endpoint: String, heartbeat: Duration, coordinatorTimeout: Duration,
        logLevel: String = "warning", namePrefix: String = "local", trialLogs: String? = nil,
        extraArguments: [[String]] = []
    ) throws(CoordinatorError) {
        for index in 0..<count {
            let extra = ["--worker-index", "\(index)"] + (extraArguments.indices.contains(index) ? extraArguments[index] : [])
            let arguments = [
                executable, "worker", "--connect", endpoint, "--name", "\(namePrefix)-\(index)",
                "--heartbeat", LocalWorkerPool.spell(heartbeat), "--coordinator-timeout", LocalWorkerPool.spell(coordinatorTimeout),
                "--log-level", logLevel, "--parent-pid", "\(getpid())",
                // Our own children on loopback: every kind, `command` included (a worker opts in to it without CURVE).
                "--objectives", ObjectiveFactory.availableKinds.joined(separator: ","),
            ] + (trialLogs.map { ["--trial-logs", $0] } ?? []) + extra
            do {
                let process = try LocalWorkerPool.spawn(arguments)
                all.append(process)
                slots.append((process, arguments))
            } catch {
                stopBlocking(grace: .seconds(1))
                throw error
            }
        }
    }

    /// Milliseconds, the way `hpo worker` parses durations (`250ms`).
    private static func spell(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return "\(max(1, milliseconds))ms"
    }

    /// A worker process in a new process group, with OPENBLAS_NUM_THREADS=1 (one BLAS thread per worker).
    private static func spawn(_ arguments: [String]) throws(CoordinatorError) -> ChildProcess {
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        var options = ChildProcess.Options()
        options.capturesOutput = false
        options.nullInput = false
        do {
            return try ChildProcess(argv: arguments, environment: environment, options: options)
        } catch {
            throw CoordinatorError(.workerSpawnFailed, "cannot start a worker process: \(error.description); check that the hpo binary is executable")
        }
    }

    /// Reaps children that exited; returns how many are still running.
    @discardableResult
    public func reap() -> Int {
        lock.withLock { all.filter { $0.pollExit() == nil }.count }
    }

    /// Waits up to `grace` for the workers to exit on their own (after SHUTDOWN), then sends SIGTERM, waits one
    /// more second, then SIGKILL: no worker outlives this call. The waiting happens on a thread of its own.
    public func stop(grace: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                self.stopBlocking(grace: grace)
                continuation.resume()
            }
            thread.name = "hpo-local-workers-stop"
            thread.start()
        }
    }

    /// `stop(grace:)` on the calling thread (blocks it).
    func stopBlocking(grace: Duration) {
        let clock = ContinuousClock()
        waitForExits(until: clock.now + grace)
        if reap() > 0 {
            signalRunning(SIGTERM)
            waitForExits(until: clock.now + .seconds(1))
        }
        if reap() > 0 {
            signalRunning(SIGKILL)
            waitForExits(until: nil)
        }
    }

    /// Blocks until every worker has exited or `deadline` passed, waking on each exit.
    private func waitForExits(until deadline: ContinuousClock.Instant?) {
        while true {
            let running = lock.withLock { all.filter { $0.pollExit() == nil } }
            if running.isEmpty { return }
            guard ChildProcess.waitForAnyExit(of: running, until: deadline) else { return }
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
    /// - Throws: `CoordinatorError` "local workers keep dying: <last exit status>" once a replacement would exceed
    ///   `maxRestarts`, or when a replacement cannot be spawned.
    public func replaceExited(maxRestarts: Int) throws(CoordinatorError) -> [Replacement] {
        lock.lock()
        defer { lock.unlock() }
        var replacements: [Replacement] = []
        for slot in slots.indices {
            let (process, arguments) = slots[slot]
            guard let termination = process.pollExit(), termination != .exited(0) else { continue }
            let description = LocalWorkerPool.describe(termination)
            guard restartCount < maxRestarts else {
                throw CoordinatorError(
                    .workersKeepDying,
                    "local workers keep dying: \(description) (worker \(slot), pid \(process.pid)) after \(restartCount) "
                        + "restarts; run one by hand (hpo worker --connect …) to see why, or check memory limits")
            }
            let replacement = try LocalWorkerPool.spawn(arguments)
            restartCount += 1
            all.append(replacement)
            slots[slot].process = replacement
            replacements.append(Replacement(
                slot: slot, exitedPid: process.pid, exitStatus: description, replacementPid: replacement.pid))
        }
        return replacements
    }

    /// A termination in words: "exit status N" or "killed by signal N (SIGNAME)".
    static func describe(_ termination: ChildProcess.Termination) -> String {
        switch termination {
        case .exited(let status):
            return "exit status \(status)"
        case .signaled(let signal):
            let names: [Int32: String] = [
                SIGKILL: "SIGKILL", SIGTERM: "SIGTERM", SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS",
                SIGILL: "SIGILL", SIGINT: "SIGINT", SIGTRAP: "SIGTRAP", SIGFPE: "SIGFPE", SIGPIPE: "SIGPIPE",
            ]
            return "killed by signal \(signal)" + (names[signal].map { " (\($0))" } ?? "")
        }
    }

    /// Sends `signal` to every worker still running (used on a second Ctrl-C too).
    public func signalRunning(_ signal: Int32) {
        lock.withLock {
            for process in all where process.pollExit() == nil { process.signal(signal) }
        }
    }
}
