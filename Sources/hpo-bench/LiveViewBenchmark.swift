import ArgumentParser
import Foundation
import Glibc
import HPOCoordinatorCore
import HPOOptimizer
import HPOOutput
import HPOSearchSpace

/// `hpo-bench live-view`: what the terminal view costs (target: at most 10 redraws a second, under 1 % of the
/// coordinator's CPU). Times `LiveView.lines` plus the ANSI frame for a snapshot with 8 running trials, and measures
/// the CPU a real `hpo run` coordinator (8 local workers, no view) uses per second, from `/proc/PID/stat`.
struct LiveViewBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live-view",
        abstract: "Time one redraw of the live terminal view and compare it with the coordinator's CPU per second."
    )

    @Option(help: "Redraws per timed round.")
    var redraws = 20_000

    @Option(help: "Timed rounds (the median is reported).")
    var rounds = 7

    @Option(help: "Trials of the real study whose coordinator CPU is measured.")
    var trials = 48

    @Option(help: "Seconds each trial of that study takes (test-function branin with a simulated duration).")
    var duration = 0.5

    func run() throws {
        BenchMachine.printTitle("hpo-bench live-view (8 running trials, width 119)")
        let micros = timeRedraws()
        let perSecond = 1 / LiveDisplay.redrawInterval.inSeconds
        let viewShare = micros * perSecond / 1e6
        print("redraw rate: \(format(perSecond))/s (every \(Int(LiveDisplay.redrawInterval.inSeconds * 1000)) ms; target ≤ 10/s)")
        print("one redraw (LiveView.lines + frame + UTF-8 bytes): median \(format(micros)) µs over \(rounds) rounds of \(redraws)")
        print("view CPU at \(format(perSecond))/s: \(format(100 * viewShare, digits: 4)) % of one core")
        print("")
        print("optimizer | coordinator CPU (% of one core) | trials/s | view CPU / coordinator CPU")
        print("---|---|---|---")
        for optimizer in ["random", "gp"] {
            let study = try measureCoordinator(optimizer: optimizer)
            print(
                "\(optimizer) | \(format(100 * study.coreShare)) % | \(format(study.trialsPerSecond)) | "
                    + "\(format(100 * viewShare / study.coreShare, digits: 3)) % (target < 1 %)")
        }
    }

    /// The median over `rounds` of the µs one redraw takes.
    private func timeRedraws() -> Double {
        let now = ContinuousClock.now
        let snapshot = Self.snapshot(now: now)
        var bytes = 0
        var perRound: [Double] = []
        let clock = ContinuousClock()
        for round in 0..<rounds {
            let started = clock.now
            for index in 0..<redraws {
                let lines = LiveView.lines(
                    snapshot, study: "digits", metric: "accuracy", elapsed: .seconds(40 + round) + .milliseconds(index % 1000),
                    now: now + .milliseconds(index % 1000), width: 119)
                bytes &+= Array(LiveDisplay.frame(lines, erasing: lines.count).utf8).count
            }
            perRound.append((clock.now - started).inSeconds * 1e6 / Double(redraws))
        }
        // Keeps the frames from being optimized away.
        if bytes == 42 { print("") }
        return perRound.sorted()[perRound.count / 2]
    }

    /// A study 12 trials in, 8 trials running (all with a step and value), the best with 6 parameters.
    static func snapshot(now: ContinuousClock.Instant) -> StudySnapshot {
        let parameters: [String: ParameterValue] = [
            "lr": .double(0.0123456), "batch_size": .int(64), "momentum": .double(0.912345), "hidden": .int(128),
            "weight_decay": .double(0.00031415), "optimizer": .string("adam"),
        ]
        return StudySnapshot(
            completed: 12, failed: 1, running: 8, queued: 0, trialBudget: 200,
            best: TrialSummary(
                id: TrialID(11), parameters: parameters, state: .completed, value: 0.98607211, failureReason: nil,
                attempts: 1),
            liveWorkers: 8, isStopping: false,
            runningTrials: (0..<8).map { (index: Int) -> RunningTrial in
                let age: Duration = .milliseconds(3200 + 1_000 * index)
                let value: Double = 0.91234 + Double(index) / 1000
                return RunningTrial(
                    trial: TrialID(13 + index), attempt: 1, worker: "local-\(index).4242.ab1\(index)",
                    since: now - age, step: 7 + index, value: value)
            })
    }

    /// Runs `hpo run` on a branin study with 8 local workers and no view; returns its CPU over the run's middle (from
    /// 1 s after start to the last sample before it exits) as a share of one core, and its trials per second.
    private func measureCoordinator(optimizer: String) throws -> (coreShare: Double, trialsPerSecond: Double) {
        let directory = try SwarmCoordinator.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let study = directory.appendingPathComponent("view.yaml")
        try """
            name: view-\(optimizer)
            direction: minimize
            metric: value
            space:
              x0: {type: float, low: -5, high: 10}
              x1: {type: float, low: 0, high: 15}
            objective: {kind: test-function, function: branin, duration: \(duration)}
            optimizer: {kind: \(optimizer), seed: 1}
            budget: {trials: \(trials)}
            """.write(to: study, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = try SwarmCoordinator.executable()
        process.arguments = ["run", study.path, "--workers", "8", "--no-progress", "--log-level", "warning"]
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let clock = ContinuousClock()
        let started = clock.now
        try process.run()
        var first: (at: ContinuousClock.Instant, cpu: Duration)?
        var last: (at: ContinuousClock.Instant, cpu: Duration)?
        while process.isRunning {
            // Sampling /proc is the measurement: nothing to wait on, the process only runs.
            Thread.sleep(forTimeInterval: 0.05)
            guard let cpu = ProcessCPUTime.of(process.processIdentifier) else { continue }
            let sample = (at: clock.now, cpu: cpu)
            if first == nil, sample.at - started >= .seconds(1) { first = sample }
            last = sample
        }
        let total = clock.now - started
        guard process.terminationStatus == 0 else {
            throw SwarmError("hpo run (\(optimizer)) exited with status \(process.terminationStatus)")
        }
        guard let first, let last, last.at > first.at else {
            throw SwarmError("hpo run (\(optimizer)) ended within 1 s; raise --trials or --duration")
        }
        return ((last.cpu - first.cpu).inSeconds / (last.at - first.at).inSeconds, Double(trials) / total.inSeconds)
    }

    private func format(_ value: Double, digits: Int = 3) -> String {
        String(format: "%.\(digits)g", value)
    }
}
