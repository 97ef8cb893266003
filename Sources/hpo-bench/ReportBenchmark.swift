import ArgumentParser
import Foundation
import HPOReport

/// `hpo-bench report`: size and render time of the HTML report for a large study (issue #10's target: 1,000 trials
/// with learning curves under 2 MB, rendered by Chromium in under 2 s).
struct ReportBenchmark: Benchmark {
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
            seconds.append(ContinuousClock().measure { html = ReportPage.render(data) }.inSeconds)
        }
        let bytes = html.utf8.count
        BenchMachine.printTitle("hpo-bench report")
        print("trials \(trials), steps \(steps): page \(String(format: "%.2f", Double(bytes) / 1_048_576)) MiB, built in \(String(format: "%.1f", Samples(seconds).median * 1000)) ms (median of \(repeats))")
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            print("chromium not found: render time not measured (apt-get install chromium)")
            return
        }
        let directory = try ScratchDirectory("report")
        defer { directory.remove() }
        let page = URL(fileURLWithPath: try directory.write("report.html", html))
        let blank = URL(fileURLWithPath: try directory.write("blank.html", "<!DOCTYPE html><html><body></body></html>"))
        // Chromium's start-up is the same for both pages: the difference is the time to lay out and paint the report.
        var renders: [Double] = []
        for _ in 0..<3 {
            let empty = try Self.screenshot(chromium, blank, directory)
            let full = try Self.screenshot(chromium, page, directory)
            renders.append(full - empty)
        }
        print("chromium: report minus blank page \(String(format: "%.2f", Samples(renders).median)) s (median of 3: start-up cancelled out; layout of the whole page and paint of the first screen)")
    }

    /// Seconds for one headless full-page screenshot of `page`.
    static func screenshot(_ chromium: String, _ page: URL, _ directory: ScratchDirectory) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1160,1000",
            "--screenshot=\(directory.file("shot.png"))", page.absoluteString,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        return try ContinuousClock().measure {
            try process.run()
            process.waitUntilExit()
        }.inSeconds
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
