import Foundation
import HPOSearchSpace
import HPOWire
import HPOZeroMQ
import Logging
import Testing
import HPOObjectives
import HPOWorkerRuntime

/// A minimal coordinator for worker tests: a real ROUTER socket on loopback TCP, driven by the test.
final class WorkerTestCoordinator {
    let context: Context
    let router: Socket
    let endpoint: String

    /// Binds at `endpoint` (default: an ephemeral loopback port).
    init(endpoint: String = "tcp://127.0.0.1:*") throws {
        context = try Context()
        router = try Socket(context, type: .router, linger: .zero)
        try router.set(.routerHandover(true))
        try router.bind(endpoint)
        self.endpoint = try router.lastEndpoint
    }

    /// The next message from any worker within `timeout`, or nil.
    func receive(timeout: Duration = .seconds(20)) throws -> (peer: [UInt8], message: WireMessage)? {
        guard let frames = try router.receive(timeout: timeout) else { return nil }
        return (frames[0], try WireCodec.decode(Array(frames.dropFirst())))
    }

    /// The next message of `kind`, skipping others (heartbeats, progress) — all returned in `skipped`.
    func receive(
        _ kind: WireMessageKind, timeout: Duration = .seconds(20)
    ) throws -> (peer: [UInt8], message: WireMessage, skipped: [WireMessage])? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var skipped: [WireMessage] = []
        while clock.now < deadline {
            guard let (peer, message) = try receive(timeout: clock.now.duration(to: deadline)) else { return nil }
            if message.kind == kind { return (peer, message, skipped) }
            skipped.append(message)
        }
        return nil
    }

    func send(_ message: WireMessage, to peer: [UInt8]) throws {
        try router.send([peer] + WireCodec.encode(message))
    }
}

/// A worker service running on its own thread, with its exit collected when it ends.
final class WorkerUnderTest: @unchecked Sendable {
    let service: WorkerService
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var exitValue: WorkerExit?

    convenience init(
        endpoint: String, timeout: Duration = .seconds(30), heartbeat: Duration = .milliseconds(50),
        makeObjective: @escaping @Sendable (ObjectiveDescriptor) throws -> any Objective = ObjectiveFactory.make
    ) throws {
        var configuration = WorkerConfiguration(endpoint: endpoint, name: "test-worker")
        configuration.coordinatorTimeout = timeout
        configuration.heartbeatInterval = heartbeat
        configuration.reconnectInterval = .milliseconds(20)
        configuration.reconnectIntervalMax = .milliseconds(100)
        configuration.stopGracePeriod = .seconds(10)
        try self.init(configuration, makeObjective: makeObjective)
    }

    init(
        _ configuration: WorkerConfiguration,
        makeObjective: @escaping @Sendable (ObjectiveDescriptor) throws -> any Objective = ObjectiveFactory.make
    ) throws {
        var logger = Logger(label: "hpo.worker.test")
        logger.logLevel = ProcessInfo.processInfo.environment["HPO_TEST_LOG"] == nil ? .critical : .debug
        service = try WorkerService(configuration: configuration, logger: logger, makeObjective: makeObjective)
        let thread = Thread { [self] in
            let exit = service.run()
            lock.withLock { exitValue = exit }
            done.signal()
        }
        thread.start()
    }

    /// Waits (bounded) for the worker to return; nil if it is still running after `timeout`.
    func exit(within timeout: Duration = .seconds(30)) -> WorkerExit? {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) * 1e-18
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        return lock.withLock { exitValue }
    }
}

/// Reports step 1, then blocks until stopped, released (`release`: completes with 1.0) or 60 s: a trial that is
/// "still running" for as long as a test needs.
struct BlockingObjective: Objective {
    let release: StopSignal

    func run(
        _ context: TrialContext,
        report: @escaping @Sendable (_ step: Int, _ value: Double, _ metrics: [String: Double]) -> Void
    ) -> ObjectiveOutcome {
        report(1, 0.5, ["loss": 1.25])
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while clock.now < deadline {
            if context.stop.isRequested { return .stopped(reason: context.stop.reason ?? "") }
            if release.isRequested { return .completed(value: 1, metrics: [:]) }
            _ = context.stop.wait(upTo: .milliseconds(5))   // StopSignal has no combined wait; 5 ms steps
        }
        return .failed(reason: "nobody stopped the trial")
    }
}

/// Records each trial it runs, then delegates.
struct CountingObjective: Objective {
    let inner: any Objective
    let runs: StopReasonRecorder

    func run(
        _ context: TrialContext,
        report: @escaping @Sendable (_ step: Int, _ value: Double, _ metrics: [String: Double]) -> Void
    ) -> ObjectiveOutcome {
        runs.add("\(context.trialID)")
        return inner.run(context, report: report)
    }
}

enum WorkerTestData {
    static let branin = ObjectiveDescriptor(kind: "test-function", options: ["function": .string("branin")])
    static let blocking = ObjectiveDescriptor(kind: "test-function", options: ["function": .string("blocking")])

    /// Builds `BlockingObjective` for the "blocking" function, the real factory otherwise.
    @Sendable static func makeObjective(_ descriptor: ObjectiveDescriptor) throws -> any Objective {
        try makeObjective(releasedBy: StopSignal())(descriptor)
    }

    /// Like `makeObjective`, with blocking trials that complete once `release` is requested.
    static func makeObjective(releasedBy release: StopSignal) -> @Sendable (ObjectiveDescriptor) throws -> any Objective {
        { descriptor in
            if descriptor.options["function"] == .string("blocking") { return BlockingObjective(release: release) }
            return try ObjectiveFactory.make(descriptor)
        }
    }

    static func trial(_ id: Int, attempt: Int = 0, objective: ObjectiveDescriptor = branin) -> TrialAssignment {
        TrialAssignment(
            trialID: id, attempt: attempt, parameters: ["x0": .double(Double.pi), "x1": .double(2.275)],
            objective: objective)
    }
}
