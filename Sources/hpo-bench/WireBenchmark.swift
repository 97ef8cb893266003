import ArgumentParser
import Foundation
import HPOSearchSpace
import HPOWire

/// `hpo-bench wire`: encode and decode cost per message on the per-trial path (target: well under 20 µs).
struct WireBenchmark: Benchmark {
    @Option(help: "Messages encoded and decoded per type.")
    var iterations = 200_000

    func run() throws {
        let messages: [(String, WireMessage)] = [
            ("TRIAL (4 params, mlp options)", .trial(TrialAssignment(
                trialID: 1234, attempt: 0,
                parameters: ["lr": .double(0.0012345), "batch_size": .int(96), "optimizer": .string("adam"), "dropout": .double(0.25)],
                objective: ObjectiveDescriptor(kind: "mlp", options: [
                    "dataset": .string("digits"), "hidden": .array([.number(64), .number(32)]), "epochs": .number(50),
                ])
            ))),
            ("RESULT completed (2 metrics)", .result(TrialResult(
                trialID: 1234, attempt: 0, outcome: .completed(value: 0.9722222222222222, metrics: ["loss": 0.0871, "epochs": 50]),
                duration: .milliseconds(1432)
            ))),
            ("PROGRESS (1 metric)", .progress(TrialProgress(trialID: 1234, attempt: 0, step: 17, value: 0.95, metrics: ["loss": 0.12]))),
            ("HEARTBEAT (1 running)", .heartbeat(Heartbeat(running: [TrialKey(trialID: 1234, attempt: 0)]))),
            ("READY", .ready(Ready(host: "node-1", pid: 4242, capabilities: ["mlp", "command", "test-function", "null"]))),
        ]
        BenchMachine.printTitle("hpo-bench wire")
        MarkdownTable.printHeader("message", "bytes", "encode µs", "decode µs", "encode+decode µs")
        for (name, message) in messages {
            let clock = ContinuousClock()
            var bytes = 0
            let encodeTime = clock.measure {
                for _ in 0..<iterations { bytes &+= WireCodec.encode(message)[2].count }
            }
            let frames = WireCodec.encode(message)
            var decoded = 0
            let decodeTime = try clock.measure {
                for _ in 0..<iterations {
                    if case .ready = try WireCodec.decode(frames) { decoded &+= 1 }
                }
            }
            let roundTrip = try WireCodec.decode(frames)
            precondition(roundTrip == message, "round trip failed for \(name)")
            let encodeMicros = encodeTime.inMicroseconds / Double(iterations)
            let decodeMicros = decodeTime.inMicroseconds / Double(iterations)
            MarkdownTable.printRow(
                name, "\(frames[2].count)", format(encodeMicros), format(decodeMicros), format(encodeMicros + decodeMicros))
            _ = bytes &+ decoded
        }
    }

    private func format(_ value: Double) -> String {
        String(format: "%.2f", value)
    }
}
