import Foundation
import HPOCoordinatorCore
import HPOCoordinatorRuntime

extension DispatchBenchmark {
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// The q-quantile (nearest rank) of `values`, in microseconds.
    static func quantileMicroseconds(_ values: [Duration], _ q: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let index = min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))
        return seconds(sorted[index]) * 1e6
    }

    func printThroughput(_ result: Measurement) {
        let timings = result.timings
        let span = Self.seconds(timings.span)
        let completed = result.summary.completed
        print("")
        BenchMachine.printTitle("throughput (null objective, random search, \(result.workers) workers, \(completed) trials)")
        print("| metric | value |")
        print("|---|---|")
        print("| study state | \(result.summary.state.rawValue) |")
        print(String(format: "| trials/s sustained (first dispatch -> last result) | %.0f |", Double(completed) / span))
        print(String(format: "| coordinator time per trial (batch time / results in it), median | %.1f µs |", Self.quantileMicroseconds(timings.amortizedOverheadPerResult, 0.5)))
        print(String(format: "| coordinator latency per result (wake-up -> journal commit -> next TRIAL sent), median | %.1f µs |", Self.quantileMicroseconds(timings.overheadPerResult, 0.5)))
        print(String(format: "| coordinator latency per result, p90 | %.1f µs |", Self.quantileMicroseconds(timings.overheadPerResult, 0.9)))
        print(String(format: "| coordinator latency per result, p99 | %.1f µs |", Self.quantileMicroseconds(timings.overheadPerResult, 0.99)))
        print(String(format: "| round trip TRIAL -> RESULT, median | %.1f µs |", Self.quantileMicroseconds(timings.roundTrips, 0.5)))
        print(String(format: "| journal commits | %d (%.1f events each) |", timings.journalAppends,
            Double(timings.journalEvents) / Double(max(1, timings.journalAppends))))
    }

    func printUtilization(_ result: Measurement) {
        let timings = result.timings
        let span = Self.seconds(timings.span)
        let busy = Self.seconds(timings.workerBusy)
        print("")
        BenchMachine.printTitle("utilization (\(optimizer) optimizer, \(result.workers) workers, \(result.summary.completed) trials of \(trialSeconds) s)")
        print("| metric | value |")
        print("|---|---|")
        print("| study state | \(result.summary.state.rawValue) |")
        print(String(format: "| span (first dispatch -> last result) | %.2f s |", span))
        print(String(format: "| worker busy time (sum of trial durations) | %.2f s |", busy))
        print(String(format: "| worker utilization (busy / (workers × span)) | %.2f %% |", 100 * busy / (span * Double(result.workers))))
        print(String(format: "| worker utilization (busy / each worker's first dispatch -> last result) | %.2f %% |", 100 * busy / Self.seconds(timings.workerSpans)))
        print(String(format: "| round trip TRIAL -> RESULT, median | %.1f ms |", Self.quantileMicroseconds(timings.roundTrips, 0.5) / 1000))
        print(String(format: "| coordinator latency per result, median | %.1f µs |", Self.quantileMicroseconds(timings.overheadPerResult, 0.5)))
    }
}
