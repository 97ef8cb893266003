import ArgumentParser
import Foundation
import HPOCoordinatorRuntime

/// `hpo-bench journal`: cost of a durable journal append per event, for batches of 1 and of 100.
struct JournalBenchmark: Benchmark {
    @Option(help: "Events appended per configuration.")
    var events = 2000

    @Option(help: "Directory for the temporary journal (its disk is what is measured).")
    var directory = FileManager.default.temporaryDirectory.path

    /// A trial-sized event, like the coordinator's.
    enum Event: Codable, Sendable {
        case trialCompleted(trial: Int, attempt: Int, value: Double, parameters: [String: Double], worker: String)
    }

    func run() throws {
        BenchMachine.printTitle("hpo-bench journal")
        MarkdownTable.printHeader("durability", "batch", "appends", "µs per append", "µs per event")
        for durability in [JournalStore<Event>.Durability.full, .normal] {
            for batch in [1, 100] {
                let path = (directory as NSString).appendingPathComponent("hpo-bench-journal-\(UUID().uuidString).db")
                defer {
                    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
                }
                let journal = try JournalStore<Event>(path: path, durability: durability)
                let appends = max(1, events / batch)
                let payload = (0..<batch).map { index in
                    Event.trialCompleted(
                        trial: index, attempt: 0, value: 0.9731, parameters: ["lr": 0.00123, "batch_size": 96, "dropout": 0.2],
                        worker: "node-1:4242"
                    )
                }
                let micros = try ContinuousClock().measure {
                    for _ in 0..<appends { try journal.append(payload) }
                }.inMicroseconds
                MarkdownTable.printRow(
                    durability == .full ? "FULL" : "NORMAL", "\(batch)", "\(appends)", format(micros / Double(appends)),
                    format(micros / Double(appends * batch)))
            }
        }
        print("\nJSON encoding alone: \(format(try encodingCost())) µs per event")
    }

    /// The part of an append that is JSON encoding (Foundation's `JSONEncoder`), per event.
    private func encodingCost() throws -> Double {
        let event = Event.trialCompleted(
            trial: 1, attempt: 0, value: 0.9731, parameters: ["lr": 0.00123, "batch_size": 96, "dropout": 0.2], worker: "node-1:4242"
        )
        let encoder = JSONEncoder()
        let count = 20_000
        var bytes = 0
        let elapsed = try ContinuousClock().measure {
            for _ in 0..<count { bytes &+= try encoder.encode(event).count }
        }
        // Reading `bytes` keeps the encoding from being optimized away.
        return elapsed.inMicroseconds / Double(count + bytes * 0)
    }

    private func format(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
