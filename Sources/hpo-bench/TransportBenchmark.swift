import ArgumentParser
import Foundation
import HPOSearchSpace
import HPOWire
import HPOZeroMQ
import Logging
import HPOWorkerRuntime

/// `hpo-bench transport`: the floor of per-trial overhead below the coordinator — raw ZeroMQ round trips through
/// HPOZeroMQ, and null trials through one in-process worker (TRIAL -> objective thread -> RESULT, wire codec included).
struct TransportBenchmark: Benchmark {
    @Option(help: "Round trips per measurement.")
    var count = 20_000

    func run() throws {
        BenchMachine.printTitle("hpo-bench transport")
        print("measurement                               median µs   p99 µs   per second")
        for endpoint in ["tcp://127.0.0.1:*", "ipc:///tmp/hpo-bench-\(getpid()).sock"] {
            let samples = try Self.rawRoundTrips(endpoint: endpoint, count: count)
            Self.printRow("ROUTER<->DEALER 100 B, \(endpoint.hasPrefix("tcp") ? "tcp" : "ipc")", samples)
        }
        let samples = try Self.nullTrials(count: count)
        Self.printRow("null trial via worker (tcp, codec)", samples)
    }

    /// One row: median and p99 of the round trips in µs, and how many ran per second back to back.
    static func printRow(_ name: String, _ samples: [Duration]) {
        let micros = Samples(samples.map(\.inMicroseconds))
        let rate = Double(samples.count) / samples.reduce(Duration.zero, +).inSeconds
        print(name.padding(toLength: 40, withPad: " ", startingAt: 0)
            + String(format: "  %9.1f  %7.1f   %10.0f", micros.median, micros.percentile(0.99), rate))
    }

    static func rawRoundTrips(endpoint: String, count: Int) throws -> [Duration] {
        let context = try Context()
        let router = try Socket(context, type: .router, linger: .zero)
        try router.bind(endpoint)
        let bound = try router.lastEndpoint
        defer { if bound.hasPrefix("ipc://") { unlink(String(bound.dropFirst(6))) } }
        let echo = Thread {
            do {
                let dealer = try Socket(context, type: .dealer, linger: .zero)
                try dealer.connect(bound)
                try dealer.send([Array("hello".utf8)])
                while let message = try dealer.receive(timeout: .seconds(5)) {
                    if message == [Array("stop".utf8)] { break }
                    try dealer.send(message)
                }
            } catch {
                print("echo thread: \(error)")
            }
        }
        echo.start()
        let hello = try router.receive(timeout: .seconds(10))!
        let peer = hello[0]
        let payload = [UInt8](repeating: 42, count: 100)
        let clock = ContinuousClock()
        var samples: [Duration] = []
        samples.reserveCapacity(count)
        for _ in 0..<count {
            let start = clock.now
            try router.send([peer, payload])
            _ = try router.receive(timeout: .seconds(10))!
            samples.append(clock.now - start)
        }
        try router.send([peer, Array("stop".utf8)])
        return samples
    }

    static func nullTrials(count: Int) throws -> [Duration] {
        let context = try Context()
        let router = try Socket(context, type: .router, linger: .zero)
        try router.bind("tcp://127.0.0.1:*")
        var configuration = WorkerConfiguration(endpoint: try router.lastEndpoint, name: "bench")
        configuration.heartbeatInterval = .seconds(1)
        var logger = Logger(label: "hpo.bench.worker")
        logger.logLevel = .error
        let worker = try WorkerService(configuration: configuration, logger: logger)
        let done = DispatchSemaphore(value: 0)
        Thread { _ = worker.run(); done.signal() }.start()

        func next(_ kind: WireMessageKind) throws -> (peer: [UInt8], message: WireMessage) {
            while true {
                guard let frames = try router.receive(timeout: .seconds(10)) else { throw ValidationError("worker went silent") }
                let message = try WireCodec.decode(Array(frames.dropFirst()))
                if message.kind == kind { return (frames[0], message) }
            }
        }
        let peer = try next(.ready).peer
        let null = ObjectiveDescriptor(kind: "null")
        let clock = ContinuousClock()
        var samples: [Duration] = []
        samples.reserveCapacity(count)
        for id in 0..<count {
            let start = clock.now
            let trial = TrialAssignment(trialID: id, attempt: 0, parameters: ["x": .double(0.5)], objective: null)
            try router.send([peer] + WireCodec.encode(.trial(trial)))
            _ = try next(.result)
            samples.append(clock.now - start)
        }
        try router.send([peer] + WireCodec.encode(.shutdown(Shutdown(reason: "benchmark done"))))
        done.wait()
        return samples
    }
}
