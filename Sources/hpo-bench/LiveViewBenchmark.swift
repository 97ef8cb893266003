import ArgumentParser
import Foundation
import HPOCoordinatorCore
import HPOOptimizer
import HPOOutput
import HPOSearchSpace

/// `hpo-bench live-view`: what the terminal view costs (target: at most 10 redraws a second, under 1 % of the
/// coordinator's CPU). Times `LiveView.lines` plus the ANSI frame for a snapshot with 8 running trials; then runs the
/// same `hpo run` study (8 local workers, branin trials of `--duration` s) with the view drawn into a pseudo-terminal
/// and with `--no-progress`, alternating, and compares the coordinator process's CPU (`/proc/PID/stat`) and the view
/// thread's own CPU (`/proc/PID/task/TID/schedstat` of `hpo-live-view`).
struct LiveViewBenchmark: Benchmark {
    @Option(help: "Redraws per timed round.")
    var redraws = 20_000

    @Option(help: "Timed rounds (the median is reported).")
    var rounds = 7

    @Option(help: "Pairs of real runs per optimizer (view on, view off; the order alternates).")
    var pairs = 5

    @Option(help: "Trials of each real run (8 workers; the GP run takes longer than the random one).")
    var trials = 240

    @Option(help: "Seconds each trial of that study takes (test-function branin with a simulated duration).")
    var duration = 0.5

    @Option(help: "Optimizers to run the real study with, comma-separated.")
    var optimizers = "random,gp"

    func run() throws {
        BenchMachine.printTitle("hpo-bench live-view (8 running trials, width 119)")
        let micros = timeRedraws()
        let perSecond = 1 / LiveDisplay.redrawInterval.inSeconds
        print("redraw rate: \(format(perSecond))/s (every \(Int(LiveDisplay.redrawInterval.inSeconds * 1000)) ms; target ≤ 10/s)")
        print(
            "one redraw (LiveView.lines + frame + UTF-8 bytes): median \(format(micros.cpu)) µs CPU (\(format(micros.wall)) µs wall) "
                + "over \(rounds) rounds of \(redraws)")
        print("one redraw after \(Int(LiveDisplay.redrawInterval.inSeconds * 1000)) ms idle, as the view thread runs it: median \(format(timeIdleRedraws())) µs CPU over 20")
        print("view CPU at \(format(perSecond))/s: \(format(100 * micros.cpu * perSecond / 1e6, digits: 4)) % of one core")
        print("")
        print("real `hpo run`, \(trials) trials of \(duration) s, 8 workers, \(pairs) pairs per optimizer (view into a pty vs --no-progress, alternating):")
        for optimizer in optimizers.split(separator: ",").map(String.init) {
            try compare(optimizer: optimizer)
        }
    }

    /// The medians over `rounds` of the µs one redraw takes: CPU time of this thread (what the view costs the
    /// process, whatever else the machine runs) and wall time.
    private func timeRedraws() -> (cpu: Double, wall: Double) {
        let now = ContinuousClock.now
        let snapshot = Self.snapshot(now: now)
        var bytes = 0
        var cpu: [Double] = []
        var wall: [Double] = []
        let clock = ContinuousClock()
        for round in 0..<rounds {
            let started = (clock.now, ProcessCPUTime.ofCurrentThread())
            for index in 0..<redraws {
                let lines = LiveView.lines(
                    snapshot, study: "digits", metric: "accuracy", elapsed: .seconds(40 + round) + .milliseconds(index % 1000),
                    now: now + .milliseconds(index % 1000), width: 119)
                bytes &+= Array(LiveDisplay.frame(lines, erasing: lines.count).utf8).count
            }
            wall.append((clock.now - started.0).inMicroseconds / Double(redraws))
            cpu.append((ProcessCPUTime.ofCurrentThread() - started.1).inMicroseconds / Double(redraws))
        }
        // Keeps the frames from being optimized away.
        if bytes == 42 { print("") }
        return (Samples(cpu).median, Samples(wall).median)
    }

    /// The median CPU µs of one redraw after `LiveDisplay.redrawInterval` idle, as the view thread runs it (its
    /// caches cooled by whatever else ran meanwhile), over `samples` redraws.
    private func timeIdleRedraws(samples: Int = 20) -> Double {
        let snapshot = Self.snapshot(now: .now)
        var cpu: [Double] = []
        var bytes = 0
        for index in 0..<samples {
            // The pause is what is measured against: a redraw after the view thread's idle interval.
            Thread.sleep(forTimeInterval: LiveDisplay.redrawInterval.inSeconds)
            let started = ProcessCPUTime.ofCurrentThread()
            let lines = LiveView.lines(snapshot, study: "digits", metric: "accuracy", elapsed: .seconds(40 + index), now: .now, width: 119)
            bytes &+= Array(LiveDisplay.frame(lines, erasing: lines.count).utf8).count
            cpu.append((ProcessCPUTime.ofCurrentThread() - started).inMicroseconds)
        }
        if bytes == 42 { print("") }
        return Samples(cpu).median
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

    func format(_ value: Double, digits: Int = 3) -> String {
        String(format: "%.\(digits)g", value)
    }
}
