import Foundation
import Glibc
import HPOExampleStudies

/// One run of `hpo-bench hostile`: a real `hpo coordinator` and `hpo worker` processes on loopback, optionally
/// attacked, with the coordinator's memory sampled from /proc.
enum HostileStudyRun {
    struct Outcome {
        /// The coordinator's report; `failed` counts trials that failed for good (e.g. their retries spent on peers
        /// that vanished). With no report: state `no report` and counts of -1.
        var session: SessionCounts
        /// From the first honest worker's start to the coordinator's exit.
        var seconds: Double
        var peakRSSMegabytes: Double
        var logLines: Int
        /// Coordinator log lines saying it dropped replies to a peer that does not read them (its queue bound held).
        var replyDropNotices: Int
        var attackCounts: [String: Int]

        var throughput: Double { Double(session.completed) / max(seconds, 1e-9) }

        func line(label: String) -> String {
            String(
                format: "%@: %d completed, %d failed (%@) in %.2f s, %.1f trials/s, coordinator peak RSS %.1f MB, %d log lines",
                label, session.completed, session.failed, session.state, seconds, throughput, peakRSSMegabytes, logLines)
        }
    }

    /// Runs the study `setup` (the command's options) describes with the `hpo` at `hpo`, attacked as `setup` plans
    /// when `attacked`; only an attacked run's coordinator log is kept (`--keep-log`).
    static func run(_ setup: HostileBenchmark, hpo: String, attacked: Bool) throws -> Outcome {
        let directory = try ScratchDirectory("hostile")
        defer { directory.remove() }
        let study = try directory.write("study.yaml", BraninStudyYAML.text(
            name: "hostile", trials: setup.trials, duration: setup.trialSeconds, optimizer: "random", seed: 1,
            maxFailures: setup.maxFailures, extra: "journal: \(directory.file("study.db"))"))
        let endpointFile = directory.file("endpoint")
        let coordinatorLog = directory.file("coordinator.log")
        let reportFile = directory.file("report.json")
        let coordinator = try SpawnedProcess.start(
            hpo, ["coordinator", study, "--bind", "tcp://127.0.0.1:0", "--endpoint-file", endpointFile, "--json"],
            stdout: reportFile, stderr: coordinatorLog)
        let memory = MemorySampler(pid: coordinator)
        memory.start()
        defer { memory.stop() }
        let deadline = ContinuousClock.now + .milliseconds(Int(setup.runTimeout * 1000))
        while !FileManager.default.fileExists(atPath: endpointFile) {
            guard ContinuousClock.now < deadline, SpawnedProcess.isRunning(coordinator) else {
                kill(coordinator, SIGKILL)
                throw HostileBenchmarkError("the coordinator did not start: \(directory.tail("coordinator.log"))")
            }
            // Waiting for another process to write a file: real time must pass.
            usleep(10_000)
        }
        let endpoint = try String(contentsOfFile: endpointFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let attack = attacked ? HostileAttack(plan: setup, endpoint: endpoint) : nil
        attack?.start()
        let started = ContinuousClock.now
        var workers: [pid_t] = []
        for index in 0..<setup.workers {
            workers.append(try SpawnedProcess.start(
                hpo,
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
        if attacked, let keepLog = setup.keepLog {
            try? FileManager.default.removeItem(atPath: keepLog)
            try? FileManager.default.copyItem(atPath: coordinatorLog, toPath: keepLog)
        }
        let log = ((try? String(contentsOfFile: coordinatorLog, encoding: .utf8)) ?? "").split(separator: "\n")
        let logLines = log.count
        let replyDropNotices = log.filter { $0.contains("unread messages queued") }.count
        return Outcome(
            session: SessionCounts.read(reportFile)
                ?? SessionCounts(state: "no report", completed: -1, failed: -1, pruned: -1, stepsTrained: -1),
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
