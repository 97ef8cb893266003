import Foundation
import Glibc

/// One run of `hpo-bench hostile`: a real `hpo coordinator` and `hpo worker` processes on loopback, optionally
/// attacked, with the coordinator's memory sampled from /proc.
enum HostileStudyRun {
    struct Setup {
        var hpo: String
        var trials: Int
        var workers: Int
        var trialSeconds: Double
        var timeout: Duration
        /// `budget.max_failures`, if set.
        var maxFailures: Int?
        /// Where to copy the coordinator's log, if anywhere.
        var keepLog: String?
    }

    struct Outcome {
        var completed: Int
        /// Trials that failed for good (e.g. their retries spent on peers that vanished).
        var failed: Int
        var state: String
        /// From the first honest worker's start to the coordinator's exit.
        var seconds: Double
        var peakRSSMegabytes: Double
        var logLines: Int
        /// Coordinator log lines saying it dropped replies to a peer that does not read them (its queue bound held).
        var replyDropNotices: Int
        var attackCounts: [String: Int]

        var throughput: Double { Double(completed) / max(seconds, 1e-9) }

        func line(label: String) -> String {
            String(
                format: "%@: %d completed, %d failed (%@) in %.2f s, %.1f trials/s, coordinator peak RSS %.1f MB, %d log lines",
                label, completed, failed, state, seconds, throughput, peakRSSMegabytes, logLines)
        }
    }

    /// A binary next to this executable.
    static func siblingBinary(_ name: String) -> String {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (me as NSString).deletingLastPathComponent + "/" + name
    }

    static func run(_ setup: Setup, attack plan: HostileAttack.Plan?) throws -> Outcome {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hpo-hostile-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let study = directory + "/study.yaml"
        try """
            name: hostile
            direction: minimize
            space:
              x0: {type: float, low: -5, high: 10}
              x1: {type: float, low: 0, high: 15}
            objective: {kind: test-function, function: branin, duration: \(setup.trialSeconds)}
            optimizer: {kind: random, seed: 1}
            budget: {trials: \(setup.trials)\(setup.maxFailures.map { ", max_failures: \($0)" } ?? "")}
            journal: \(directory)/study.db
            """.write(toFile: study, atomically: true, encoding: .utf8)
        let endpointFile = directory + "/endpoint"
        let coordinatorLog = directory + "/coordinator.log"
        let reportFile = directory + "/report.json"
        let coordinator = try spawn(
            setup.hpo, ["coordinator", study, "--bind", "tcp://127.0.0.1:0", "--endpoint-file", endpointFile, "--json"],
            stdout: reportFile, stderr: coordinatorLog)
        let memory = MemorySampler(pid: coordinator)
        memory.start()
        defer { memory.stop() }
        let deadline = ContinuousClock.now + setup.timeout
        while !FileManager.default.fileExists(atPath: endpointFile) {
            guard ContinuousClock.now < deadline, processIsRunning(coordinator) else {
                kill(coordinator, SIGKILL)
                throw HostileBenchmarkError("the coordinator did not start: \(tail(coordinatorLog))")
            }
            // Waiting for another process to write a file: real time must pass.
            usleep(10_000)
        }
        let endpoint = try String(contentsOfFile: endpointFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let attack = plan.map { HostileAttack(plan: $0, endpoint: endpoint) }
        attack?.start()
        let started = ContinuousClock.now
        var workers: [pid_t] = []
        for index in 0..<setup.workers {
            workers.append(try spawn(
                setup.hpo,
                ["worker", "--connect-file", endpointFile, "--name", "honest-\(index)", "--study", "hostile",
                    "--objectives", "test-function", "--coordinator-timeout", "60s"],
                stdout: "/dev/null", stderr: directory + "/worker-\(index).log"))
        }
        var status: Int32 = 0
        while waitpid(coordinator, &status, WNOHANG) == 0 {
            if ContinuousClock.now >= deadline {
                kill(coordinator, SIGKILL)
                for worker in workers { kill(worker, SIGKILL) }
                attack?.stop()
                throw HostileBenchmarkError("the study did not finish within the run timeout; coordinator log: \(tail(coordinatorLog))")
            }
            // Polling a child's exit while the attack threads run: real time must pass.
            usleep(5_000)
        }
        let elapsed = ContinuousClock.now - started
        attack?.stop()
        memory.stop()
        for worker in workers {
            var workerStatus: Int32 = 0
            let workerDeadline = ContinuousClock.now + .seconds(15)
            while waitpid(worker, &workerStatus, WNOHANG) == 0 {
                if ContinuousClock.now >= workerDeadline { kill(worker, SIGKILL) }
                usleep(10_000)   // Waiting for the worker to see SHUTDOWN and exit.
            }
        }
        if let keepLog = setup.keepLog {
            try? FileManager.default.removeItem(atPath: keepLog)
            try? FileManager.default.copyItem(atPath: coordinatorLog, toPath: keepLog)
        }
        let report = (try? Data(contentsOf: URL(fileURLWithPath: reportFile))) ?? Data()
        let object = (try? JSONSerialization.jsonObject(with: report)) as? [String: Any] ?? [:]
        let log = ((try? String(contentsOfFile: coordinatorLog, encoding: .utf8)) ?? "").split(separator: "\n")
        let logLines = log.count
        let replyDropNotices = log.filter { $0.contains("unread messages queued") }.count
        return Outcome(
            completed: object["completed"] as? Int ?? -1, failed: object["failed"] as? Int ?? -1, state: object["state"] as? String ?? "no report",
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
            peakRSSMegabytes: Double(memory.peakKilobytes) / 1024, logLines: logLines, replyDropNotices: replyDropNotices,
            attackCounts: attack?.counts ?? [:])
    }

    /// Starts `binary arguments…` with standard output and error to files.
    static func spawn(_ binary: String, _ arguments: [String], stdout: String, stderr: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, binary, &actions, nil, argv, envp)
        guard result == 0 else {
            throw HostileBenchmarkError("cannot start \(binary): \(String(cString: strerror(result)))")
        }
        return pid
    }

    static func processIsRunning(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }

    static func tail(_ path: String) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }
}

/// A failed benchmark run, with what went wrong.
struct HostileBenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
