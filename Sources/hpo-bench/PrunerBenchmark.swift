import ArgumentParser
import Foundation
import HPOCoordinatorCore
import HPOMath
import HPOOptimizer
import HPOSearchSpace
import HPOStudyFile
import HPOWire

/// `hpo-bench pruner`: the coordinator time one PROGRESS costs with each pruning rule (target: the prune decision
/// adds < 50 µs), measured on the pure state machine with synthetic learning curves.
struct PrunerBenchmark: Benchmark {
    @Option(help: "Trials per rule (the rungs fill up as they run).")
    var trials = 3_000

    @Option(help: "Steps each trial reports unless pruned.")
    var steps = 100

    func run() throws {
        let defaultMin = StudyConfig.defaultMinResource(maxResource: steps, reductionFactor: 3)
        let rules: [(String, PrunerSettings)] = [
            ("none", .none),
            ("median (min_trials 5)", .median(warmupSteps: 0, minTrials: 5, intervalSteps: 1)),
            ("asha (η 3, 1-\(steps))", .asha(reductionFactor: 3, minResource: 1, maxResource: steps, minEarlyStoppingRate: 0)),
            ("hyperband (η 3, 1-\(steps))", .hyperband(reductionFactor: 3, minResource: 1, maxResource: steps)),
            ("asha (η 3, default min_resource \(defaultMin)-\(steps))", .asha(
                reductionFactor: 3, minResource: defaultMin, maxResource: steps, minEarlyStoppingRate: 0)),
            ("hyperband (η 3, default min_resource \(defaultMin)-\(steps))", .hyperband(
                reductionFactor: 3, minResource: defaultMin, maxResource: steps)),
        ]
        BenchMachine.printTitle("hpo-bench pruner (\(trials) trials × up to \(steps) steps, one worker)")
        MarkdownTable.printHeader(
            "rule", "PROGRESS handled", "pruned trials", "median µs / PROGRESS", "p99 µs", "mean µs", "mean over none µs")
        var baseline: Double?
        for (name, rule) in rules {
            let run = try simulate(rule)
            let samples = Samples(run.micros)
            let mean = run.micros.reduce(0, +) / Double(max(1, run.micros.count))
            if baseline == nil { baseline = mean }
            MarkdownTable.printRow(
                name, "\(samples.count)", "\(run.pruned)", format(samples.median), format(samples.percentile(0.99)),
                format(mean), format(mean - (baseline ?? mean)))
        }
    }

    /// Runs `trials` trials through a state machine with `rule`, timing each PROGRESS `handle`.
    private func simulate(_ rule: PrunerSettings) throws -> (micros: [Double], pruned: Int) {
        let space = try SearchSpace([Parameter(name: "x", kind: .float(low: 0, high: 1, log: false, step: nil))])
        var configuration = CoordinatorConfiguration(objective: ObjectiveDescriptor(kind: "null", options: [:]))
        configuration.trialBudget = nil
        configuration.prefetch = 0
        configuration.pruner = rule
        configuration.heartbeatInterval = .seconds(3600)
        var machine = CoordinatorStateMachine(studyName: "bench", direction: .maximize, space: space, configuration: configuration)
        let clock = ContinuousClock()
        var now = clock.now
        let worker = WorkerID("w")
        _ = machine.handle(.start, now: now)
        _ = machine.handle(.message(from: worker, .ready(Ready(host: "h", pid: 1, capabilities: ["null"]))), now: now)
        _ = machine.handle(.message(from: worker, .heartbeat(Heartbeat(running: []))), now: now)
        var generator = SeededGenerator(seed: 7)
        var micros: [Double] = []
        micros.reserveCapacity(trials * steps)
        var pruned = 0
        for trial in 0..<trials {
            let quality = Double.random(in: 0.3...0.98, using: &generator)
            let proposal = Proposal(id: TrialID(rawValue: trial), assignment: ["x": .double(quality)], point: [quality])
            _ = machine.handle(.proposalsReady([proposal]), now: now)
            var stopped = false
            for step in 1...steps {
                now += .milliseconds(20)
                let value = quality * (1 - 1 / Double(step + 1)) + Double.random(in: -0.01...0.01, using: &generator)
                let message = WireMessage.progress(TrialProgress(trialID: trial, attempt: 1, step: step, value: value))
                // The thread's CPU time, not the wall clock: on a shared machine a preemption inside `handle` would
                // otherwise count as its cost.
                let started = ProcessCPUTime.ofCurrentThread()
                let actions = machine.handle(.message(from: worker, message), now: now)
                micros.append((ProcessCPUTime.ofCurrentThread() - started).inMicroseconds)
                if actions.contains(where: { if case .send(_, .prune) = $0 { true } else { false } }) {
                    stopped = true
                    pruned += 1
                    break
                }
            }
            let outcome: TrialResult.Outcome = stopped ? .stopped(reason: "pruned") : .completed(value: quality, metrics: [:])
            _ = machine.handle(
                .message(from: worker, .result(TrialResult(trialID: trial, attempt: 1, outcome: outcome, duration: .seconds(1)))),
                now: now)
        }
        return (micros, pruned)
    }

    private func format(_ value: Double) -> String {
        String(format: "%.2f", value)
    }
}
