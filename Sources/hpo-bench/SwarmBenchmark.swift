import ArgumentParser
import Foundation

/// `hpo-bench swarm`: a real `hpo coordinator` child process against one process holding many DEALER sockets that
/// speak the protocol. Measures the coordinator's CPU (from /proc/PID/stat) while every worker holds a trial and
/// heartbeats every second, and null-trial throughput through all workers against through 8 (#7 "Scale").
struct SwarmBenchmark: Benchmark {
    static let discussion = """
        Starts `hpo coordinator` (the binary built next to hpo-bench) on 127.0.0.1 and connects N DEALER sockets \
        from this process. Hold: each worker takes one trial and heartbeats every second while --queued more \
        trials wait; the coordinator's CPU (utime + stime) over --window is printed as % of one core. Null: --null-trials null trials are run as \
        fast as the workers answer, through N workers and through 8. Raises this process's open-file limit \
        (inherited by the coordinator) to fit N connections.
        """

    @Option(help: "Connected workers (1 to 5,000).")
    var workers = 1_000

    @Option(help: "Seconds over which the coordinator's CPU is measured while every worker holds a trial.")
    var window = 10.0

    @Option(help: "Hold: trials waiting in the queue while every worker holds one (default: as many as --workers).")
    var queued: Int?

    @Option(help: "Null trials per throughput run (0 skips the throughput runs).")
    var nullTrials = 20_000

    @Option(help: "Workers of the comparison throughput run.")
    var baselineWorkers = 8

    func validate() throws {
        guard (1...5_000).contains(workers) else {
            throw ValidationError("--workers: expected 1 to 5000, got \(workers)")
        }
        guard (1...10_000).contains(baselineWorkers) else {
            throw ValidationError("--baseline-workers: expected at least 1, got \(baselineWorkers)")
        }
        guard window >= 1, window <= 600 else {
            throw ValidationError("--window: expected 1 to 600 seconds, got \(window)")
        }
        if let queued, !(0...1_000_000).contains(queued) {
            throw ValidationError("--queued: expected 0 to 1000000, got \(queued)")
        }
        guard nullTrials >= 0, nullTrials <= 10_000_000 else {
            throw ValidationError("--null-trials: expected 0 to 10000000, got \(nullTrials)")
        }
    }

    func run() throws {
        let limit = try SwarmLimits.raiseOpenFiles(toFit: workers)
        BenchMachine.printTitle("hpo-bench swarm")
        print("swarm: \(workers) workers, open-file limit \(limit), coordinator \(try HPOExecutable.built())")

        let waiting = queued ?? workers
        let hold = try Self.measureHolding(workers: workers, queued: waiting, window: .milliseconds(Int64(window * 1000)))
        print(String(
            format: "hold: %d workers each holding a trial, %d queued, heartbeat 1 s: coordinator CPU %.1f %% of one core over %.1f s (swarm %.1f %%); %d heartbeats sent, %d received",
            workers, waiting, hold.coordinatorPercent, hold.window.inSeconds, hold.swarmPercent, hold.heartbeatsSent, hold.heartbeatsReceived))

        guard nullTrials > 0 else { return }
        var rates: [(workers: Int, rate: Double)] = []
        for count in [workers, baselineWorkers] {
            let run = try Self.measureNullTrials(workers: count, trials: nullTrials)
            rates.append((count, run.rate))
            print(String(
                format: "null: %d trials through %d workers: %.0f trials/s (%.2f s; coordinator CPU %.1f %% of one core, %.0f µs per trial)",
                nullTrials, count, run.rate, run.elapsed.inSeconds, run.coordinatorPercent,
                run.coordinatorPercent / 100 * run.elapsed.inSeconds / Double(nullTrials) * 1e6))
        }
        if rates.count == 2, rates[1].rate > 0 {
            print(String(format: "null: %d workers run at %.2f× the rate of %d", rates[0].workers, rates[0].rate / rates[1].rate, rates[1].workers))
        }
    }

    /// What the hold measurement found.
    struct HoldFigures {
        var coordinatorPercent: Double
        var swarmPercent: Double
        var window: Duration
        var heartbeatsSent: Int
        var heartbeatsReceived: Int
    }

    /// Every worker takes one trial and heartbeats every second while `queued` more trials wait; the coordinator's
    /// CPU is sampled over `window`.
    static func measureHolding(workers: Int, queued: Int, window: Duration) throws -> HoldFigures {
        let directory = try ScratchDirectory("swarm")
        defer { directory.remove() }
        // With trials queued, as in a real study whose budget exceeds its workers, each event may look for an idle
        // worker; with none queued it need not.
        let coordinator = try SwarmCoordinator(directory: directory.url, name: "hold", trials: workers + queued)
        defer { coordinator.stop() }
        let swarm = try Swarm(workers: workers, endpoint: coordinator.endpoint, answersTrials: false)
        let deadline = ContinuousClock.now + .seconds(120)
        try swarm.serve(until: deadline) { swarm.holding == workers }
        guard swarm.holding == workers else {
            throw SwarmError("only \(swarm.holding) of \(workers) workers got a trial within 120 s; is the coordinator overloaded? (\(coordinator.tail()))")
        }
        let start = ContinuousClock.now
        let coordinatorBefore = try coordinator.cpuTime()
        let swarmBefore = SwarmLimits.ownCPUTime()
        let sentBefore = swarm.heartbeatsSent
        let receivedBefore = swarm.heartbeatsReceived
        try swarm.serve(until: start + window) { false }
        let elapsed = ContinuousClock.now - start
        let coordinatorUsed = try coordinator.cpuTime() - coordinatorBefore
        let swarmUsed = SwarmLimits.ownCPUTime() - swarmBefore
        guard swarm.lost == 0 else {
            throw SwarmError("\(swarm.lost) workers were sent away or shut down during the window; the figures would not be comparable")
        }
        return HoldFigures(
            coordinatorPercent: 100 * coordinatorUsed.inSeconds / elapsed.inSeconds,
            swarmPercent: 100 * swarmUsed.inSeconds / elapsed.inSeconds, window: elapsed,
            heartbeatsSent: swarm.heartbeatsSent - sentBefore, heartbeatsReceived: swarm.heartbeatsReceived - receivedBefore)
    }

    /// `trials` null trials through `workers` workers that answer each TRIAL at once; timed from the first TRIAL to
    /// the last RESULT the coordinator needed (it shuts the workers down then).
    static func measureNullTrials(workers: Int, trials: Int) throws -> (rate: Double, elapsed: Duration, coordinatorPercent: Double) {
        let directory = try ScratchDirectory("swarm")
        defer { directory.remove() }
        let coordinator = try SwarmCoordinator(directory: directory.url, name: "null", trials: trials)
        defer { coordinator.stop() }
        let swarm = try Swarm(workers: workers, endpoint: coordinator.endpoint, answersTrials: true)
        let cpuBefore = try coordinator.cpuTime()
        let deadline = ContinuousClock.now + .seconds(600)
        try swarm.serve(until: deadline) { swarm.shutDown == workers || swarm.results >= trials && swarm.shutDown > 0 }
        guard swarm.results >= trials, let first = swarm.firstTrialAt, let last = swarm.lastResultAt else {
            throw SwarmError("\(swarm.results) of \(trials) null trials answered within 600 s (\(coordinator.tail()))")
        }
        let elapsed = last - first
        let cpu = try coordinator.cpuTime() - cpuBefore
        return (Double(swarm.results) / elapsed.inSeconds, elapsed, 100 * cpu.inSeconds / elapsed.inSeconds)
    }
}

/// A failure of the swarm benchmark, saying what happened.
struct SwarmError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
