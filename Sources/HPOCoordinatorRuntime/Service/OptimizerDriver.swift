import Foundation
import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
import Logging

/// Runs an `Optimizer` on its own thread, so a slow `ask` (a GP fit) never delays the socket loop.
///
/// Tells and asks are carried out in the order they were submitted; each ask's answer goes to `deliver`, called on
/// the driver's thread. A failed tell (e.g. a conflicting duplicate) is logged and skipped: the coordinator's
/// journal, not the optimizer, is the record of results.
final class OptimizerDriver: @unchecked Sendable {
    private enum Job {
        case ask(Int)
        case tell(TrialID, TrialOutcome)
        case register(TrialID, Assignment)
    }

    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var isClosed = false
    private var optimizer: any Optimizer
    private let deliver: @Sendable (CoordinatorEvent) -> Void
    private let logger: Logger
    private var thread: Thread?
    private let done = DispatchSemaphore(value: 0)

    /// - Parameters:
    ///   - optimizer: the optimizer, with every replayed trial already registered.
    ///   - deliver: receives `proposalsReady` or `proposalsFailed` for each ask.
    init(optimizer: any Optimizer, logger: Logger, deliver: @escaping @Sendable (CoordinatorEvent) -> Void) {
        self.optimizer = optimizer
        self.logger = logger
        self.deliver = deliver
    }

    /// Starts the driver's thread.
    func start() {
        let thread = Thread { [self] in
            run()
            done.signal()
        }
        thread.name = "hpo-optimizer"
        thread.stackSize = 8 << 20
        self.thread = thread
        thread.start()
    }

    /// Queues an ask for `count` proposals.
    func ask(count: Int) {
        submit(.ask(count))
    }

    /// Queues a tell.
    func tell(_ id: TrialID, _ outcome: TrialOutcome) {
        submit(.tell(id, outcome))
    }

    /// Queues the registration of a trial the optimizer did not propose (an enqueued one) as pending.
    func register(_ id: TrialID, _ parameters: Assignment) {
        submit(.register(id, parameters))
    }

    /// Stops the thread after the current job and waits for it (queued jobs are dropped).
    func close() {
        condition.lock()
        isClosed = true
        jobs = []
        condition.signal()
        condition.unlock()
        if thread != nil {
            done.wait()
            thread = nil
        }
    }

    private func submit(_ job: Job) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while jobs.isEmpty && !isClosed {
                condition.wait()
            }
            if isClosed {
                condition.unlock()
                return
            }
            let batch = jobs
            jobs = []
            condition.unlock()
            for job in batch {
                perform(job)
            }
        }
    }

    private func perform(_ job: Job) {
        switch job {
        case .tell(let id, let outcome):
            do {
                try optimizer.tell(id, outcome)
            } catch {
                logger.warning("the optimizer refused a result: \(error)", metadata: ["trial.id": "\(id.rawValue)"])
            }
        case .register(let id, let parameters):
            do {
                try optimizer.register(parameters, as: id, outcome: nil)
            } catch {
                // The trial still runs and is journaled; only the model misses it (its tell is refused the same way).
                logger.warning("the optimizer refused an enqueued trial: \(error)", metadata: ["trial.id": "\(id.rawValue)"])
            }
        case .ask(let count):
            do {
                let proposals = try optimizer.ask(count: count)
                deliver(.proposalsReady(proposals))
            } catch {
                deliver(.proposalsFailed(reason: "\(error)"))
            }
        }
    }
}
