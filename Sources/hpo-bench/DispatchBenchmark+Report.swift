import Foundation
import HPOCoordinatorCore
import HPOCoordinatorRuntime

extension DispatchBenchmark {
    /// The q-quantile (nearest rank) of `values`, in microseconds.
    static func quantileMicroseconds(_ values: [Duration], _ q: Double) -> Double {
        Samples(values.map(\.inMicroseconds)).percentile(q)
    }

    func printThroughput(_ result: Measurement) {
        let timings = result.timings
        let span = timings.span.inSeconds
        let completed = result.summary.completed
        printMetrics("throughput (null objective, random search, \(result.workers) workers, \(completed) trials)", result, [
            ("trials/s sustained (first dispatch -> last result)", String(format: "%.0f", Double(completed) / span)),
            ("coordinator time per trial (batch time / results in it), median", Self.micros(timings.amortizedOverheadPerResult, 0.5)),
            ("coordinator latency per result (wake-up -> journal commit -> next TRIAL sent), median", Self.micros(timings.overheadPerResult, 0.5)),
            ("coordinator latency per result, p90", Self.micros(timings.overheadPerResult, 0.9)),
            ("coordinator latency per result, p99", Self.micros(timings.overheadPerResult, 0.99)),
            ("round trip TRIAL -> RESULT, median", Self.micros(timings.roundTrips, 0.5)),
            ("journal commits", String(
                format: "%d (%.1f events each)", timings.journalAppends,
                Double(timings.journalEvents) / Double(max(1, timings.journalAppends)))),
        ])
    }

    func printUtilization(_ result: Measurement) {
        let timings = result.timings
        let span = timings.span.inSeconds
        let busy = timings.workerBusy.inSeconds
        printMetrics(
            "utilization (\(optimizer) optimizer, \(result.workers) workers, \(result.summary.completed) trials of \(trialSeconds) s)",
            result, [
                ("span (first dispatch -> last result)", String(format: "%.2f s", span)),
                ("worker busy time (sum of trial durations)", String(format: "%.2f s", busy)),
                ("worker utilization (busy / (workers × span))", String(format: "%.2f %%", 100 * busy / (span * Double(result.workers)))),
                ("worker utilization (busy / each worker's first dispatch -> last result)", String(format: "%.2f %%", 100 * busy / timings.workerSpans.inSeconds)),
                ("round trip TRIAL -> RESULT, median", String(format: "%.1f ms", Self.quantileMicroseconds(timings.roundTrips, 0.5) / 1000)),
                ("coordinator latency per result, median", Self.micros(timings.overheadPerResult, 0.5)),
            ])
    }

    /// Prints `title` with the machine line, then a two-column table (`| metric | value |`) of the study's state and
    /// `rows`.
    private func printMetrics(_ title: String, _ result: Measurement, _ rows: [(metric: String, value: String)]) {
        print("")
        BenchMachine.printTitle(title)
        print("| metric | value |")
        print("|---|---|")
        for row in [(metric: "study state", value: result.summary.state.rawValue)] + rows {
            print("| \(row.metric) | \(row.value) |")
        }
    }

    /// The q-quantile of `values` as `12.3 µs`.
    private static func micros(_ values: [Duration], _ q: Double) -> String {
        String(format: "%.1f µs", quantileMicroseconds(values, q))
    }
}
