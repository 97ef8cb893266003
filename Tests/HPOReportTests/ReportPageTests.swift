import Foundation
import Testing

@testable import HPOReport

/// The page's structure: every section, one point per completed trial, axis titles, escaping.
@Suite struct ReportPageTests {
    /// A study of `count` trials over lr (log), layers (int) and optimizer (categorical), with curves, a failed and
    /// a pruned trial, two workers and a lost worker.
    static func sample(count: Int = 40) -> ReportData {
        var trials: [ReportData.Trial] = []
        for id in 0..<count {
            let lr = NumberText.power(-4) * Double(1 + id % 50) * 10
            let state: ReportData.Trial.State = id == 3 ? .failed : (id == 5 ? .pruned : .completed)
            let value = state == .completed ? 0.9 - abs(NumberText.log10(lr) + 2) * 0.05 + Double(id % 7) * 0.001 : nil
            let curve = (1...(state == .pruned ? 3 : 10)).map { ReportData.Trial.Step(step: $0, value: 0.5 + Double($0) * 0.04) }
            let start = Double(id) * 0.5
            trials.append(ReportData.Trial(
                id: id, state: state,
                parameters: ["lr": .number(lr), "layers": .number(Double(1 + id % 3)), "optimizer": .text(id % 2 == 0 ? "adam" : "sgd<x>")],
                value: value, finishedAt: start + 0.9, curve: curve,
                runs: [.init(worker: "w\(id % 2)", start: start, end: start + 0.9, outcome: state == .completed ? "completed" : state.rawValue)],
                reason: state == .failed ? "boom" : nil))
        }
        return ReportData(
            title: "demo <study>", maximize: true, metric: "accuracy",
            parameters: [
                .init(name: "lr", axis: .numeric(low: 1e-4, high: 1e-1, log: true)),
                .init(name: "layers", axis: .numeric(low: 1, high: 3, log: false)),
                .init(name: "optimizer", axis: .categories(["adam", "sgd<x>"])),
            ],
            trials: trials, importance: [("lr", 0.7), ("layers", 0.2), ("optimizer", 0.1)],
            importanceMethod: "inverse GP length scales", workerEvents: [.init(worker: "w1", time: 3.2, kind: "lost")],
            settings: [("optimizer", "gp")], warnings: ["the best lr is on its upper bound"], version: "test")
    }

    static func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test func everySectionIsPresentInOrder() {
        let html = ReportPage.render(Self.sample())
        var last = html.startIndex
        for id in ReportPage.sectionIDs {
            let range = html.range(of: "<section id=\"\(id)\"")
            #expect(range != nil, "section \(id)")
            if let range {
                #expect(range.lowerBound >= last, "section \(id) in order")
                last = range.lowerBound
            }
        }
        #expect(!html.contains("<script"), "no script")
        #expect(!html.contains("http://") || html.components(separatedBy: "http://").dropFirst().allSatisfy { $0.hasPrefix("www.w3.org/2000/svg") },
                "no link other than the SVG namespace")
    }

    @Test func eachHistoryAndSliceChartHasOnePointPerCompletedTrial() {
        let data = Self.sample(count: 40)
        let completed = data.completed.count
        #expect(completed == 38)
        for chart in [HistoryCharts.byTrial(data), HistoryCharts.byTime(data)] + data.parameters.map({ SliceChart.make(data, parameter: $0) }) {
            #expect(Self.occurrences(of: "<circle", in: chart) == completed)
        }
        #expect(Self.occurrences(of: "class=\"pc-line", in: ParallelCoordinatesChart.make(data)) == completed)
        #expect(Self.occurrences(of: "<polyline", in: LearningCurveChart.make(data)) == 40)
        #expect(Self.occurrences(of: "class=\"run ", in: WorkerTimelineChart.make(data)) == 40)
    }

    @Test func axisTitlesAndLabelsAreThere() {
        let data = Self.sample()
        let slice = SliceChart.make(data, parameter: data.parameters[0])
        #expect(slice.contains(">lr (log)</text>"))
        #expect(slice.contains(">accuracy</text>"))
        #expect(slice.contains(">0.001</text>"), "log ticks at powers of ten")
        let categorical = SliceChart.make(data, parameter: data.parameters[2])
        #expect(categorical.contains(">sgd&lt;x&gt;</text>"), "category names are escaped labels")
        let html = ReportPage.render(data)
        #expect(html.contains("<title>demo &lt;study&gt; — hpo report</title>"))
        #expect(html.contains("the best lr is on its upper bound"))
        #expect(html.contains("Best: trial"))
    }

    @Test func anEmptyStudyStillRenders() {
        let data = ReportData(title: "empty", maximize: false, metric: "loss", parameters: [], trials: [], version: "test")
        let html = ReportPage.render(data)
        #expect(html.contains("No trial has completed yet."))
        #expect(html.contains("no intermediate values were reported"))
    }
}
