import Foundation
import HPOExampleStudies
import HPOOutput

extension LiveViewBenchmark {
    /// One real `hpo run`: the coordinator process's CPU and, with the view on, the view thread's CPU, both over the
    /// same window (from 1 s after start to the last sample before the process exited).
    struct Run {
        /// CPU of the whole `hpo run` process (coordinator, optimizer, view; not its worker processes), seconds.
        var processCPU: Double
        /// CPU of the `hpo-live-view` thread, seconds; 0 with the view off.
        var viewCPU: Double
        /// Length of the window, seconds.
        var window: Double
        /// Frames drawn per second of the whole run (ESC [J on the terminal); 0 with the view off.
        var redrawsPerSecond: Double
        /// Bytes written to the terminal per second of the whole run.
        var bytesPerSecond: Double
    }

    /// Runs the study `pairs` times with the view on and off (on first in even pairs) and prints medians.
    func compare(optimizer: String) throws {
        var on: [Run] = []
        var off: [Run] = []
        for pair in 0..<pairs {
            for view in pair % 2 == 0 ? [true, false] : [false, true] {
                let run = try measure(optimizer: optimizer, view: view)
                if view { on.append(run) } else { off.append(run) }
                print(
                    "  \(optimizer) pair \(pair + 1) view \(view ? "on " : "off"): process \(format(100 * run.processCPU / run.window)) % of a core, "
                        + "view thread \(format(100 * run.viewCPU / run.window, digits: 3)) %, \(format(run.redrawsPerSecond)) redraws/s, "
                        + "\(format(run.bytesPerSecond)) B/s")
            }
        }
        let viewShares = on.map { $0.viewCPU / ($0.processCPU - $0.viewCPU) }
        let differences = zip(on, off).map { ($0.processCPU / $0.window) / ($1.processCPU / $1.window) - 1 }
        print("")
        MarkdownTable.printHeader(
            "optimizer", "coordinator CPU, view off (% of a core)", "view on", "view thread (% of a core)",
            "view thread / coordinator (target < 1 %)", "(on − off) / off per pair", "redraws/s")
        MarkdownTable.printRow(
            optimizer, spread(off.map { 100 * $0.processCPU / $0.window }), spread(on.map { 100 * $0.processCPU / $0.window }),
            spread(on.map { 100 * $0.viewCPU / $0.window }, digits: 3), spread(viewShares.map { 100 * $0 }, digits: 3) + " %",
            spread(differences.map { 100 * $0 }, digits: 2) + " %", spread(on.map(\.redrawsPerSecond)))
        print("")
    }

    /// `median [min, max]` of `values`.
    func spread(_ values: [Double], digits: Int = 3) -> String {
        let samples = Samples(values)
        guard let first = samples.sorted.first, let last = samples.sorted.last else { return "–" }
        return "\(format(samples.median, digits: digits)) [\(format(first, digits: digits)), \(format(last, digits: digits))]"
    }

    /// Runs `hpo run` on a branin study with 8 local workers, its standard error on a pseudo-terminal, with the view
    /// (`view`) or `--no-progress`, and samples its CPU every 50 ms.
    func measure(optimizer: String, view: Bool) throws -> Run {
        let directory = try ScratchDirectory("live-view")
        defer { directory.remove() }
        let study = try directory.write(
            "view.yaml",
            BraninStudyYAML.text(name: "view-\(optimizer)", trials: trials, duration: duration, optimizer: optimizer, seed: 1))
        let terminal = try PseudoTerminal()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try HPOExecutable.built())
        process.arguments = ["run", study, "--workers", "8", "--log-level", "warning"] + (view ? [] : ["--no-progress"])
        process.environment = HPOExecutable.environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = terminal.slave
        let clock = ContinuousClock()
        let started = clock.now
        try process.run()
        let pid = process.processIdentifier
        var viewThread: Int32?
        var first: (at: ContinuousClock.Instant, cpu: Duration, view: Duration)?
        var last: (at: ContinuousClock.Instant, cpu: Duration, view: Duration)?
        while process.isRunning {
            // Sampling /proc is the measurement: nothing to wait on, the process only runs.
            Thread.sleep(forTimeInterval: 0.05)
            if view, viewThread == nil { viewThread = ProcessCPUTime.thread(named: LiveDisplayLoop.threadName, in: pid) }
            guard let cpu = ProcessCPUTime.of(pid) else { continue }
            // With the view on, a sample counts only while its thread is readable (it ends before the process does).
            let viewCPU = viewThread.flatMap { ProcessCPUTime.ofThread($0, in: pid) }
            if view && viewCPU == nil { continue }
            let sample = (at: clock.now, cpu: cpu, view: viewCPU ?? .zero)
            if first == nil, sample.at - started >= .seconds(1) { first = sample }
            last = sample
        }
        let total = (clock.now - started).inSeconds
        let received = terminal.finish()
        guard process.terminationStatus == 0 else {
            throw SwarmError("hpo run (\(optimizer), view \(view ? "on" : "off")) exited with status \(process.terminationStatus)")
        }
        guard let first, let last, last.at > first.at else {
            throw SwarmError("hpo run (\(optimizer)) ended within 1 s; raise --trials or --duration")
        }
        if view, viewThread == nil {
            throw SwarmError("hpo run (\(optimizer)) with the view on has no thread named \(LiveDisplayLoop.threadName)")
        }
        return Run(
            processCPU: (last.cpu - first.cpu).inSeconds, viewCPU: (last.view - first.view).inSeconds,
            window: (last.at - first.at).inSeconds, redrawsPerSecond: Double(received.clears) / total,
            bytesPerSecond: Double(received.bytes) / total)
    }
}
