import CLAPACK
import Foundation
public import HPOWire
public import Logging
public import HPOObjectives
import HPORuntimeSupport

/// A worker: connects a DEALER socket to the coordinator, announces itself, runs the trials it is given and
/// reports their progress and results, until the coordinator says SHUTDOWN, goes silent, or refuses it.
///
/// The socket lives on a thread of its own (blocking `zmq_poll`, never on Swift's cooperative pool); objectives
/// run on one thread per slot (`WorkerConfiguration.slots`), so heartbeats go out while trials compute. The protocol decisions are
/// `WorkerStateMachine`'s (HPOWorkerCore); `WorkerLoop` carries them out.
///
/// ```swift
/// let worker = WorkerService(configuration: WorkerConfiguration(endpoint: "tcp://head:5555"), logger: logger)
/// let exit = await worker.runOnDedicatedThread()
/// ```
public final class WorkerService: Sendable {
    /// The configuration the worker was started with.
    public let configuration: WorkerConfiguration
    /// This worker's routing id, as the coordinator sees it (`name.pid.xxxx`); also logged as `worker.id`.
    public let workerID: String
    private let logger: Logger
    private let makeObjective: TrialRunner.ObjectiveMaker
    private let mailbox: Mailbox<WorkerEvent>

    /// Prepares a worker; nothing connects until `run()`.
    ///
    /// - Parameters:
    ///   - configuration: endpoint, timeouts, keys.
    ///   - logger: where the worker logs; `worker.id`, `trial.id` and `trial.attempt` are added as metadata.
    ///   - makeObjective: builds objectives from descriptors (default `ObjectiveFactory.make`).
    /// - Throws: `ZMQError` when the process cannot create an eventfd (out of file descriptors).
    public init(
        configuration: WorkerConfiguration, logger: Logger,
        makeObjective: @escaping @Sendable (ObjectiveDescriptor) throws -> any Objective = ObjectiveFactory.make
    ) throws {
        self.configuration = configuration
        self.workerID = HostIdentity.workerID(name: configuration.name)
        var logger = logger
        logger[metadataKey: "worker.id"] = "\(workerID)"
        self.logger = logger
        self.makeObjective = makeObjective
        self.mailbox = try Mailbox<WorkerEvent>()
    }

    /// Runs the worker on the calling thread until it stops; blocking, so call it from a thread of your own.
    ///
    /// - Returns: why it stopped; `exitCode` is the process status to use.
    public func run() -> WorkerExit {
        if configuration.singleThreadedBLAS && getenv("OPENBLAS_NUM_THREADS") == nil {
            // OpenBLAS read its environment when it loaded, so setting the variable now would be too late.
            openblas_set_num_threads(1)
        }
        let runner = TrialRunner(
            mailbox: mailbox, makeObjective: makeObjective, logger: logger,
            trialLogs: configuration.trialLogDirectory.map { ($0, configuration.name) }, slots: configuration.slots,
            devices: configuration.slotDevices, workerIndex: configuration.workerIndex)
        let exit: WorkerExit
        do {
            let loop = try WorkerLoop(
                configuration: configuration, workerID: workerID, mailbox: mailbox, runner: runner, logger: logger)
            exit = loop.run()
        } catch {
            exit = .failed(message: "\(error)")
        }
        // The machine already waited for the running objective (up to stopGracePeriod); closing the objective adds
        // at most its own grace period (persistent command processes reading end-of-file, docs/worker.md).
        runner.close()
        return exit
    }

    /// Runs the worker on a new thread and returns when it stops, without blocking Swift's cooperative pool.
    public func runOnDedicatedThread() async -> WorkerExit {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: self.run()) }
            thread.name = "hpo-worker-socket"
            thread.start()
        }
    }

    /// Stops the worker: the running objective is asked to stop, its RESULT (`stopped`) is sent, and `run()` returns
    /// `.stopped(reason:)` (after at most `stopGracePeriod`). A second call returns at once without waiting for the
    /// objective. Safe from any thread or signal-handling queue.
    public func requestStop(reason: String) {
        mailbox.post(.stopRequested(reason: reason))
    }
}
