import ArgumentParser
import Foundation
import HPOReport

/// `hpo-bench report`: size and render time of the HTML report for a large study (issue #10's target: 1,000 trials
/// with learning curves under 2 MB, rendered by Chromium in under 2 s).
struct ReportBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report size and build time for a synthetic study; with Chromium on the PATH, its render time too.")

    @Option(help: "Trials in the synthetic study.")
    var trials = 1000

    @Option(help: "Intermediate values per trial.")
    var steps = 50

    @Option(help: "Repetitions of the build (the median is printed).")
    var repeats = 5

    func run() throws {
        let data = Self.study(trials: trials, steps: steps)
        var seconds: [Double] = []
        var html = ""
        for _ in 0..<repeats {
            let start = ContinuousClock.now
            html = ReportPage.render(data)
            let elapsed = ContinuousClock.now - start
            seconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        seconds.sort()
        let bytes = html.utf8.count
        BenchMachine.printTitle("hpo-bench report")
        print("trials \(trials), steps \(steps): page \(String(format: "%.2f", Double(bytes) / 1_048_576)) MiB, built in \(String(format: "%.1f", seconds[seconds.count / 2] * 1000)) ms (median of \(repeats))")
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            print("chromium not found: render time not measured (apt-get install chromium)")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hpo-bench-report-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("report.html")
        let blank = directory.appendingPathComponent("blank.html")
        try html.write(to: page, atomically: true, encoding: .utf8)
        try "<!DOCTYPE html><html><body></body></html>".write(to: blank, atomically: true, encoding: .utf8)
        // Chromium's start-up is the same for both pages: the difference is the time to lay out and paint the report.
        var renders: [Double] = []
        for _ in 0..<3 {
            let empty = try Self.screenshot(chromium, blank, directory)
            let full = try Self.screenshot(chromium, page, directory)
            renders.append(full - empty)
        }
        renders.sort()
        print("chromium: report minus blank page \(String(format: "%.2f", renders[1])) s (median of 3: start-up cancelled out; layout of the whole page and paint of the first screen)")
    }

    /// Seconds for one headless full-page screenshot of `page`.
    static func screenshot(_ chromium: String, _ page: URL, _ directory: URL) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1160,1000",
            "--screenshot=\(directory.appendingPathComponent("shot.png").path)", page.absoluteString,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let start = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    /// A seeded synthetic study: four parameters (two log floats, an int, a categorical), a curve per trial, eight
    /// workers, a tenth of the trials pruned and a few failed.
    static func study(trials count: Int, steps: Int) -> ReportData {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        var trials: [ReportData.Trial] = []
        var clock = [Double](repeating: 0, count: 8)
        for id in 0..<count {
            let lr = pow(10, -5 + 4 * uniform())
            let decay = pow(10, -6 + 4 * uniform())
            let layers = 1 + Int(uniform() * 4)
            let optimizer = ["sgd", "adam", "adamw"][Int(uniform() * 3)]
            let quality = 1 - abs(log10(lr) + 2.5) / 3 - 0.02 * Double(layers)
            let pruned = uniform() < 0.1
            let failed = !pruned && uniform() < 0.02
            let last = pruned ? steps / 4 : steps
            let curve = (1...max(last, 1)).map { step in
                ReportData.Trial.Step(step: step, value: quality * (1 - pow(0.9, Double(step))) + 0.01 * uniform())
            }
            let worker = id % 8
            let start = clock[worker]
            let duration = Double(last) * 0.02 * (0.5 + uniform())
            clock[worker] += duration + 0.001
            trials.append(ReportData.Trial(
                id: id, state: failed ? .failed : (pruned ? .pruned : .completed),
                parameters: ["lr": .number(lr), "weight_decay": .number(decay), "layers": .number(Double(layers)), "optimizer": .text(optimizer)],
                value: failed || pruned ? nil : curve.last!.value, finishedAt: start + duration, curve: curve,
                runs: [.init(worker: "node-\(worker)", start: start, end: start + duration, outcome: failed ? "failed" : (pruned ? "pruned" : "completed"))]))
        }
        return ReportData(
            title: "synthetic", maximize: true, metric: "accuracy",
            parameters: [
                .init(name: "lr", axis: .numeric(low: 1e-5, high: 1e-1, log: true)),
                .init(name: "weight_decay", axis: .numeric(low: 1e-6, high: 1e-2, log: true)),
                .init(name: "layers", axis: .numeric(low: 1, high: 4, log: false)),
                .init(name: "optimizer", axis: .categories(["sgd", "adam", "adamw"])),
            ],
            trials: trials, importance: [("lr", 0.6), ("layers", 0.2), ("weight_decay", 0.15), ("optimizer", 0.05)],
            importanceMethod: "synthetic", settings: [("trials", "\(count)")], version: "bench")
    }
}
