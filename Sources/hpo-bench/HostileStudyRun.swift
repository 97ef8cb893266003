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

    static func run(_ setup: Setup, attack plan: HostileAttack.Plan?) throws -> Outcome {
        let directory = try ScratchDirectory("hostile")
        defer { directory.remove() }
        let study = try directory.write("study.yaml", BraninStudy.yaml(
            name: "hostile", duration: setup.trialSeconds, optimizer: "random", trials: setup.trials,
            maxFailures: setup.maxFailures, journal: directory.file("study.db")))
        let endpointFile = directory.file("endpoint")
        let coordinatorLog = directory.file("coordinator.log")
        let reportFile = directory.file("report.json")
        let coordinator = try SpawnedProcess.start(
            setup.hpo, ["coordinator", study, "--bind", "tcp://127.0.0.1:0", "--endpoint-file", endpointFile, "--json"],
            stdout: reportFile, stderr: coordinatorLog)
        let memory = MemorySampler(pid: coordinator)
        memory.start()
        defer { memory.stop() }
        let deadline = ContinuousClock.now + setup.timeout
        while !FileManager.default.fileExists(atPath: endpointFile) {
            guard ContinuousClock.now < deadline, SpawnedProcess.isRunning(coordinator) else {
                kill(coordinator, SIGKILL)
                throw HostileBenchmarkError("the coordinator did not start: \(directory.tail("coordinator.log"))")
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
            workers.append(try SpawnedProcess.start(
                setup.hpo,
                ["worker", "--connect-file", endpointFile, "--name", "honest-\(index)", "--study", "hostile",
                    "--objectives", "test-function", "--coordinator-timeout", "60s"],
                stdout: "/dev/null", stderr: directory.file("worker-\(index).log")))
        }
        guard SpawnedProcess.waitForExit(coordinator, until: deadline, checkingEvery: .milliseconds(5)) else {
            kill(coordinator, SIGKILL)
            for worker in workers { kill(worker, SIGKILL) }
            attack?.stop()
            throw HostileBenchmarkError("the study did not finish within the run timeout; coordinator log: \(directory.tail("coordinator.log"))")
        }
        let elapsed = ContinuousClock.now - started
        attack?.stop()
        memory.stop()
        // Each worker exits once it sees SHUTDOWN.
        for worker in workers {
            if !SpawnedProcess.waitForExit(worker, until: .now + .seconds(15), checkingEvery: .milliseconds(10)) {
                kill(worker, SIGKILL)
                SpawnedProcess.waitForExit(worker)
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
            seconds: elapsed.inSeconds,
            peakRSSMegabytes: Double(memory.peakKilobytes) / 1024, logLines: logLines, replyDropNotices: replyDropNotices,
            attackCounts: attack?.counts ?? [:])
    }
}

/// A failed benchmark run, with what went wrong.
struct HostileBenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
