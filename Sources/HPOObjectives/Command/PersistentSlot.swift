import Foundation
import HPORuntimeSupport
import HPOWire
import HPOZeroMQ
import Logging
import Synchronization

/// One worker slot's persistent process and its history: started lazily, replaced when it dies or misbehaves,
/// restarted after `max_trials_per_process` trials, started with a back-off after repeated crashes.
///
/// A trial holds the slot's lock for its whole run (the slot's thread only); `close` takes what it can without
/// waiting and leaves a busy slot to release its process itself when its trial ends.
final class PersistentSlot: Sendable {
    struct State {
        /// The live process, if any.
        var process: ChildProcess?
        /// Trials the process finished (sent a final line for).
        var trialsServed = 0
        /// Its descriptor 3 was closed (max_trials_per_process): it is to exit, and is reaped before the next trial.
        var retiring = false
        /// Fresh processes in a row that died before finishing a trial.
        var freshCrashes = 0
        /// When the last trial's `started` and final lines arrived, for its overhead figures.
        var lastStarted: ContinuousClock.Instant?
        var lastFinished: ContinuousClock.Instant?
        /// The slot's directory for its trials' `$HPO_RESULT` and `$HPO_PRUNE_FILE` (named by trial and attempt).
        var scratch: String?
    }

    private let command: CommandObjective
    private let index: Int
    private let logger: Logger
    private let state = Mutex(State())
    private let closing = Atomic<Bool>(false)
    private let pid = Atomic<Int32>(0)

    init(command: CommandObjective, index: Int) {
        self.command = command
        self.index = index
        var logger = Logger(label: "hpo.command")
        logger[metadataKey: "worker.slot"] = "\(index)"
        self.logger = logger
    }

    /// The live process's pid, or nil.
    var processID: Int32? {
        let value = pid.load(ordering: .relaxed)
        return value > 0 ? value : nil
    }

    /// Runs one trial (on the slot's thread); see ``PersistentCommandObjective``.
    func run(
        _ context: TrialContext, arrived: ContinuousClock.Instant,
        report: @escaping @Sendable (_ step: Int, _ value: Double, _ metrics: [String: Double]) -> Void
    ) -> ObjectiveOutcome {
        state.withLock { state in
            (state.lastStarted, state.lastFinished) = (nil, nil)
            var outcome = runTrial(&state, context, report: report)
            // After runTrial's cleanup (its scratch directory), so the figures hold everything until the return.
            if case .completed(let value, var metrics) = outcome {
                if let started = state.lastStarted { metrics["hpo_start_overhead_ms"] = Self.milliseconds(started - arrived) }
                if let finished = state.lastFinished { metrics["hpo_finish_overhead_ms"] = Self.milliseconds(.now - finished) }
                logger.debug(
                    "trial overhead", metadata: [
                        "trial.id": "\(context.trialID)", "start.ms": "\(metrics["hpo_start_overhead_ms"].map { "\($0)" } ?? "-")",
                        "finish.ms": "\(metrics["hpo_finish_overhead_ms"].map { "\($0)" } ?? "-")",
                    ])
                outcome = .completed(value: value, metrics: metrics)
            }
            if closing.load(ordering: .acquiring) {
                release(&state, by: .now + command.gracePeriod)
                removeScratch(&state)
            }
            return outcome
        }
    }

    /// Closes the idle process's descriptor 3 (a busy slot's process is released after its trial).
    func beginClosing() {
        closing.store(true, ordering: .releasing)
        _ = state.withLockIfAvailable { $0.process?.closeMessages() }
    }

    /// Waits until `deadline` for the idle process to exit, then SIGKILLs its group.
    func finishClosing(by deadline: ContinuousClock.Instant) {
        _ = state.withLockIfAvailable { state in
            release(&state, by: deadline)
            removeScratch(&state)
        }
    }

    /// Removes the slot's scratch directory (and whatever a program left in it).
    private func removeScratch(_ state: inout State) {
        guard let scratch = state.scratch else { return }
        if rmdir(scratch) != 0 { try? FileManager.default.removeItem(atPath: scratch) }
        state.scratch = nil
    }

    private func runTrial(
        _ state: inout State, _ context: TrialContext,
        report: @escaping @Sendable (_ step: Int, _ value: Double, _ metrics: [String: Double]) -> Void
    ) -> ObjectiveOutcome {
        if let reason = context.stop.reason { return .stopped(reason: reason) }
        let process: ChildProcess
        switch readyProcess(&state, context) {
        case .success(let ready): process = ready
        case .failure(let outcome): return outcome.outcome
        }

        // One directory per slot, files per trial: removing a directory costs milliseconds on some file systems
        // (ext4 mounted with `discard`: 3–4 ms here), unlinking a file that was never created costs microseconds.
        if state.scratch == nil {
            do {
                state.scratch = try CommandObjective.scratchDirectory(for: context)
            } catch {
                return .failed(reason: error.description)
            }
        }
        let name = "\(state.scratch!)/trial-\(context.trialID)-\(context.attempt)"
        let (resultPath, stopFile) = (name + "-result.json", name + "-pruned")
        defer { for path in [resultPath, stopFile, stopFile + ".partial"] { unlink(path) } }
        let doorbell: WakeUpSignal
        do {
            doorbell = try WakeUpSignal()
        } catch {
            return .failed(reason: "cannot create an eventfd to watch for stop requests: \(error); the worker may be out of file descriptors")
        }
        context.stop.onRequest { _ in doorbell.ring() }

        let (output, trialOutput, logger, processID) = (command.output, context.output, logger, process.pid)
        var trial = PersistentTrial(
            trialID: context.trialID, metric: command.metric, program: command.argv[0],
            output: { stream, line in
                output(context.trialID, stream, line)
                trialOutput?(stream, line)
            },
            idle: { PersistentCommandObjective.logIdle(logger, pid: processID, stream: $0, $1) },
            report: report)
        func handle(_ stream: ChildProcess.Stream, _ line: String) { _ = trial.handle(stream, line) }

        // The timeout counts from here: a back-off or a fresh process's start is not the trial's time.
        let sent = ContinuousClock.now
        let message = Self.trialMessage(context, variables: command.trialVariables(context, resultPath: resultPath, stopFile: stopFile))
        if let problem = process.send(message, until: .now + max(command.gracePeriod, .seconds(5))) {
            let termination = process.finish(line: handle)
            drop(&state)
            return died(&state, trial: trial, termination: termination, processID: processID, note: "could not take trial \(context.trialID): \(problem)")
        }
        let deadline = command.timeout.map { sent + $0 }
        switch process.wait(until: deadline, interrupt: doorbell.fileDescriptor, handle: { trial.handle($0, $1) }) {
        case nil:
            return ended(&state, trial: &trial, resultPath: resultPath)
        case .exited?:
            let termination = process.finish(line: handle)
            drop(&state)
            if trial.final != nil {
                logger.info("the persistent process \(processID) \(CommandSession.describe(termination)) after trial \(context.trialID)")
                state.freshCrashes = 0
                return trial.outcome(resultPath: resultPath)
            }
            return died(&state, trial: trial, termination: termination, processID: processID, note: "during trial \(context.trialID)")
        case .deadline?:
            process.terminate(grace: command.gracePeriod, line: handle)
            drop(&state)
            let elapsed = CommandSession.seconds(.now - sent), limit = CommandSession.seconds(command.timeout ?? .zero)
            return .failed(reason: "\(command.argv[0]) timed out after \(elapsed) (timeout \(limit)); raise timeout or shorten the trial; the persistent process was restarted" + trial.tail)
        case .interrupted?:
            let reason = context.stop.reason ?? "stop requested"
            stop(&state, trial: &trial, reason: reason, stopFile: stopFile, resultPath: resultPath)
            return .stopped(reason: reason)
        }
    }

    /// Why a trial cannot start (boxed, so it can be a `Result` failure).
    struct Refusal: Error {
        var outcome: ObjectiveOutcome
    }

    /// The slot's process, ready for a trial: the current one, or (after reaping a retired or exited one, and the
    /// crash back-off) a fresh one; a failed or stopped outcome when none could start.
    private func readyProcess(_ state: inout State, _ context: TrialContext) -> Result<ChildProcess, Refusal> {
        reapFinished(&state)
        if state.process == nil {
            if let delay = PersistentCommandObjective.backOff(afterCrashes: state.freshCrashes) {
                logger.warning("the persistent process crashed \(state.freshCrashes) times in a row; waiting \(delay) before the next start")
                if context.stop.wait(upTo: delay) {
                    return .failure(Refusal(outcome: .stopped(reason: context.stop.reason ?? "stop requested")))
                }
            }
            do {
                state.process = try spawn(context.placement)
                state.trialsServed = 0
            } catch {
                state.freshCrashes += 1
                return .failure(Refusal(outcome: .failed(reason: crashReason(state, error.description))))
            }
        }
        pid.store(state.process!.pid, ordering: .relaxed)
        return .success(state.process!)
    }

    /// Stops the trial in flight: `$HPO_PRUNE_FILE` and a `stop` message, then `grace_period` for a final line;
    /// a process that exits or stays silent is gone (SIGKILLed) and the next trial gets a fresh one.
    private func stop(
        _ state: inout State, trial: inout PersistentTrial, reason: String, stopFile: String, resultPath: String
    ) {
        guard let process = state.process else { return }
        CommandSession.Stopping.writeStopFile(stopFile, reason: reason)
        _ = process.send(Self.stopMessage(trial.trialID, reason: reason), until: .now)
        switch process.wait(until: .now + command.gracePeriod, interrupt: nil, handle: { trial.handle($0, $1) }) {
        case nil:
            _ = ended(&state, trial: &trial, resultPath: resultPath)
            return
        case .exited?:
            break
        case .deadline?, .interrupted?:
            logger.info("the persistent process \(process.pid) did not end stopped trial \(trial.trialID) within grace_period \(CommandSession.seconds(command.gracePeriod)); killed it")
        }
        process.finish { _ = trial.handle($0, $1) }
        drop(&state)
    }

    /// After the final line (or an over-long one): drains what the process already printed into the trial, counts
    /// the trial, retires the process when it served its share, and keeps the times for the overhead figures.
    private func ended(
        _ state: inout State, trial: inout PersistentTrial, resultPath: String
    ) -> ObjectiveOutcome {
        guard let process = state.process else { return trial.outcome(resultPath: resultPath) }
        process.drainReadable { _ = trial.handle($0, $1) }
        if trial.overlong {
            process.finish { _ = trial.handle($0, $1) }
            drop(&state)
            return trial.outcome(resultPath: resultPath)
        }
        state.trialsServed += 1
        state.freshCrashes = 0
        if command.maxTrialsPerProcess > 0 && state.trialsServed >= command.maxTrialsPerProcess {
            process.closeMessages()   // it exits now, while the worker reports; reaped before the next trial
            state.retiring = true
        }
        (state.lastStarted, state.lastFinished) = (trial.startedAt, trial.finishedAt)
        return trial.outcome(resultPath: resultPath)
    }

    /// The failure of a trial whose process died (or could not take it), counting a fresh process's crash.
    private func died(
        _ state: inout State, trial: PersistentTrial, termination: ChildProcess.Termination, processID: Int32, note: String
    ) -> ObjectiveOutcome {
        let how = CommandSession.describe(termination)
        if state.trialsServed == 0 { state.freshCrashes += 1 }
        return .failed(reason: crashReason(state, "\(command.argv[0]) \(how) \(note) (persistent process \(processID))") + trial.tail)
    }

    /// `what` happened to a fresh process; after 3 in a row, says so and how long the next start waits.
    private func crashReason(_ state: State, _ what: String) -> String {
        guard let delay = PersistentCommandObjective.backOff(afterCrashes: state.freshCrashes) else { return what }
        return "the persistent process crashed \(state.freshCrashes) times in a row before finishing a trial (last: \(what)); "
            + "fix the script (the trial log holds its output); the next start waits \(delay)"
    }

    /// Reaps a process that was retired (max_trials_per_process) or exited between trials, before the next trial.
    private func reapFinished(_ state: inout State) {
        guard let process = state.process else { return }
        if state.retiring {
            release(&state, by: .now + command.gracePeriod)
        } else if process.pollExit() != nil {
            let processID = process.pid
            let termination = process.finish { PersistentCommandObjective.logIdle(logger, pid: processID, stream: $0.rawValue, $1) }
            logger.info("the persistent process \(processID) \(CommandSession.describe(termination)) between trials; starting a fresh one")
            drop(&state)
        } else {
            // What it printed between trials is no trial's.
            let processID = process.pid
            process.drainReadable { PersistentCommandObjective.logIdle(logger, pid: processID, stream: $0.rawValue, $1) }
        }
    }

    /// Waits until `deadline` for the process (its descriptor 3 closed) to exit, then SIGKILLs its group and reaps it.
    private func release(_ state: inout State, by deadline: ContinuousClock.Instant) {
        guard let process = state.process else { return }
        let (logger, processID) = (logger, process.pid)
        let idle: (ChildProcess.Stream, String) -> Void = { PersistentCommandObjective.logIdle(logger, pid: processID, stream: $0.rawValue, $1) }
        process.closeMessages()
        if case .exited = process.wait(until: deadline, line: idle) {} else {
            logger.info("the persistent process \(processID) did not exit within grace_period after its descriptor 3 closed; killed it")
        }
        process.finish(line: idle)
        drop(&state)
    }

    /// Forgets the (ended) process.
    private func drop(_ state: inout State) {
        state.process = nil
        state.retiring = false
        pid.store(0, ordering: .relaxed)
    }

    /// Starts the slot's process: the worker's environment, `env`, the slot's variables and the protocol's.
    private func spawn(_ placement: TrialPlacement) throws(ChildProcessError) -> ChildProcess {
        var environment = ProcessInfo.processInfo.environment.merging(command.environment) { _, extra in extra }
        environment["HPO_METRIC"] = command.metric
        placement.apply(to: &environment)
        environment["HPO_PROTOCOL"] = "persistent/1"
        environment["HPO_TRIALS_FD"] = "3"
        environment["HPO_REPORTS_FD"] = "4"
        var options = ChildProcess.Options()
        options.workingDirectory = command.workingDirectory
        options.diesWithParent = true   // this slot's thread lives as long as the worker runs trials
        options.messageChannels = true
        options.lineLimit = PersistentTrial.lineLimit
        let process = try ChildProcess(argv: command.argv, environment: environment, options: options)
        logger.debug("started the persistent process \(process.pid): \(command.argv.joined(separator: " "))")
        return process
    }

    /// `{"trial": {"id": …, "attempt": …, "params": {…}, "env": {…}}}` and a newline.
    static func trialMessage(_ context: TrialContext, variables: [String: String]) -> [UInt8] {
        let trial: JSONValue = .object([
            "id": .number(Double(context.trialID)), "attempt": .number(Double(context.attempt)),
            "params": .object(CommandObjective.json(context.parameters)), "env": .object(variables.mapValues { .string($0) }),
        ])
        return Array((JSONValue.object(["trial": trial]).description + "\n").utf8)
    }

    /// `{"stop": {"id": …, "reason": "…"}}` and a newline.
    static func stopMessage(_ trialID: Int, reason: String) -> [UInt8] {
        let stop: JSONValue = .object(["id": .number(Double(trialID)), "reason": .string(reason)])
        return Array((JSONValue.object(["stop": stop]).description + "\n").utf8)
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
