import ArgumentParser
import HPOSearchSpace
import HPOWire

/// `hpo-bench wire`: encode and decode cost per message on the per-trial path (target: well under 20 µs).
struct WireBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wire",
        abstract: "Time WireCodec encode and decode per message type (build with -c release)."
    )

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
        print("message | bytes | encode µs | decode µs | encode+decode µs")
        print("---|---|---|---|---")
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
            let encodeMicros = microseconds(encodeTime) / Double(iterations)
            let decodeMicros = microseconds(decodeTime) / Double(iterations)
            print("\(name) | \(frames[2].count) | \(format(encodeMicros)) | \(format(decodeMicros)) | \(format(encodeMicros + decodeMicros))")
            _ = bytes &+ decoded
        }
    }

    private func microseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1e6 + Double(attoseconds) * 1e-12
    }

    private func format(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
