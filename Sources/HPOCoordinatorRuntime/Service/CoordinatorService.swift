import Foundation
public import HPOCoordinatorCore
public import HPOOptimizer
public import Logging
import HPOZeroMQ
import Synchronization
import HPORuntimeSupport

/// The coordinator: a ROUTER socket on its own thread driving a `CoordinatorStateMachine`, an optimizer on
/// another thread, and the journal appended before every dispatch or reply that depends on it.
///
/// Use: `start()` (binds and returns the endpoint), then `finished()`; `stop(immediately:)` from a signal handler.
/// `snapshot` is safe to read from any thread for progress displays.
public final class CoordinatorService: Sendable {
    private struct Shared {
        var snapshot: StudySnapshot
        var summary: StudySummary?
        var timings = CoordinatorTimings()
        var waiters: [CheckedContinuation<StudySummary, Never>] = []
        var started = false
    }

    private let shared: Mutex<Shared>
    private let inbox: Mailbox<CoordinatorEvent>
    private let context: Context
    private let driver: OptimizerDriver
    private let journal: any CoordinatorJournal
    private let options: CoordinatorServiceOptions
    private let logger: Logger
    /// The state machine, handed to the socket thread at `start()`.
    private let machine: Mutex<CoordinatorStateMachine?>
    private let finishedSignal = DispatchSemaphore(value: 0)
    private let authenticator: CurveAuthenticator?

    /// - Parameters:
    ///   - machine: a fresh state machine, or one rebuilt with `CoordinatorStateMachine.replay`.
    ///   - optimizer: the optimizer, with every replayed trial registered (`ReplayedTrial`).
    ///   - journal: where events are appended; on resume, the journal the machine was replayed from.
    public init(
        machine: CoordinatorStateMachine, optimizer: any Optimizer, journal: any CoordinatorJournal,
        options: CoordinatorServiceOptions = CoordinatorServiceOptions(), logger: Logger
    ) throws(CoordinatorError) {
        if let problem = options.securityProblem {
            throw CoordinatorError(.cannotListen, problem)
        }
        do {
            context = try Context()
            inbox = try Mailbox<CoordinatorEvent>()
        } catch {
            throw CoordinatorError(.transportSetup, "cannot create the ZeroMQ context: \(error)")
        }
        // The ZAP handler must exist before the CURVE socket binds, or libzmq admits any client.
        if let allowed = options.curve?.allowedClientKeys {
            let refusals = Mutex(LogRateLimiter())
            do {
                authenticator = try CurveAuthenticator(context: context, allowedClientKeys: allowed) { decision in
                    guard !decision.accepted else { return }
                    // A scanner or a flood of wrong keys must not flood the log: one line per 10 s, with a count.
                    let (log, held) = refusals.withLock { $0.admit(now: .now) }
                    if log {
                        let who = decision.clientKey.isEmpty ? "a client without CURVE" : "a CURVE client with key \(decision.clientKey)"
                        let text = "refused \(who) from \(decision.address): not on the allow-list"
                            + "\(LogRateLimiter.suffix(held)); add its public key to the allow-list and send SIGHUP"
                        logger.warning("\(text)")
                    }
                }
            } catch {
                throw CoordinatorError(.transportSetup, "cannot start the CURVE authenticator: \(error)")
            }
        } else {
            authenticator = nil
        }
        let inbox = self.inbox
        driver = OptimizerDriver(optimizer: optimizer, logger: logger) { inbox.post($0) }
        self.journal = journal
        self.options = options
        self.logger = logger
        self.machine = Mutex(machine)
        shared = Mutex(Shared(snapshot: machine.snapshot))
    }

    /// Binds the ROUTER socket, starts the socket and optimizer threads, and begins the session.
    ///
    /// - Returns: the bound endpoint, with the actual port when `bind` asked for an ephemeral one.
    /// - Throws: `CoordinatorError` when the endpoint cannot be bound (in use, bad address) or `start` was
    ///   already called.
    public func start() throws(CoordinatorError) -> String {
        guard let machine = self.machine.withLock({ stored -> CoordinatorStateMachine? in defer { stored = nil }; return stored }) else {
            throw CoordinatorError(.alreadyStarted, "the coordinator service was already started")
        }
        let bound = Mutex<Result<String, CoordinatorError>?>(nil)
        let ready = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            let loop: CoordinatorLoop
            do throws(CoordinatorError) {
                loop = try CoordinatorLoop(
                    context: context, machine: machine, options: options, inbox: inbox, driver: driver,
                    journal: journal, logger: logger)
                bound.withLock { $0 = .success(loop.endpoint) }
            } catch {
                bound.withLock { $0 = .failure(error) }
                ready.signal()
                return
            }
            ready.signal()
            let summary = loop.run { snapshot in self.shared.withLock { $0.snapshot = snapshot } }
            let timings = loop.timings
            loop.close()
            driver.close()
            authenticator?.stop()
            context.shutdown()
            let waiters = shared.withLock { state in
                state.summary = summary
                state.timings = timings
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters {
                waiter.resume(returning: summary)
            }
            finishedSignal.signal()
        }
        thread.name = "hpo-coordinator"
        thread.stackSize = 8 << 20
        driver.start()
        thread.start()
        ready.wait()
        switch bound.withLock({ $0 })! {
        case .success(let endpoint):
            return endpoint
        case .failure(let error):
            driver.close()
            authenticator?.stop()
            context.shutdown()
            throw error
        }
    }

    /// Re-reads the CURVE allow-list from where it came from (`CoordinatorKeys.allowList`) and makes it the list
    /// new connections are checked against; connections already admitted stay. Safe from any thread (SIGHUP).
    ///
    /// - Returns: how many keys are allowed now.
    /// - Throws: `CoordinatorError` when the service has no allow-list to reload, or the list cannot be read
    ///   (the previous list then stays in force).
    @discardableResult
    public func reloadAllowList() throws(CoordinatorError) -> Int {
        guard let authenticator, let list = options.curve?.allowList else {
            throw CoordinatorError(.allowListReload, "this coordinator has no allow-list to reload (start it with --keys DIR)")
        }
        do {
            return authenticator.replaceAllowedKeys(try list.load())
        } catch {
            throw CoordinatorError(.allowListReload, "the allow-list was not reloaded, the previous one stays in force: \(error)")
        }
    }

    /// How many client keys the CURVE allow-list holds, or nil when any client is admitted (no CURVE or no list).
    public var allowedKeyCount: Int? {
        authenticator?.allowedKeyCount
    }

    /// Asks the study to stop: no new trials; running ones finish (or are cancelled, per the configuration).
    /// With `immediately` (a second Ctrl-C) the session ends at once. Safe from any thread or signal handler task.
    public func stop(immediately: Bool) {
        inbox.post(.stopRequested(immediately: immediately))
    }

    /// The study's counts and running trials, refreshed by the socket thread at the first tick after they changed.
    public var snapshot: StudySnapshot {
        shared.withLock { $0.snapshot }
    }

    /// Timings recorded with `CoordinatorServiceOptions.recordTimings` (complete once the session ended).
    public var timings: CoordinatorTimings {
        shared.withLock { $0.timings }
    }

    /// Waits until the session ends.
    public func finished() async -> StudySummary {
        await withCheckedContinuation { continuation in
            let done: StudySummary? = shared.withLock { state in
                if let summary = state.summary { return summary }
                state.waiters.append(continuation)
                return nil
            }
            if let done {
                continuation.resume(returning: done)
            }
        }
    }

    /// Blocks the calling thread until the session ends (tests and benchmarks; never on the cooperative pool).
    public func waitUntilFinished() -> StudySummary {
        if let summary = shared.withLock({ $0.summary }) { return summary }
        finishedSignal.wait()
        finishedSignal.signal()
        return shared.withLock { $0.summary }!
    }
}
