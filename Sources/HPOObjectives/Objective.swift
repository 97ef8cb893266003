public import HPOSearchSpace

/// Something a worker can evaluate: a trial's parameters in, a value (e.g. validation accuracy) out.
///
/// A conformer must guarantee:
/// - `run` is **blocking** and is called on a dedicated thread (never on Swift's cooperative pool), possibly for
///   several trials one after another, and for several trials at once (one per slot, each on its own thread) when
///   the worker runs with `--slots` above 1: shared state must be safe to use from several threads.
/// - It calls `report` for each intermediate value it has (e.g. per epoch; may be never); `report` is cheap and
///   thread-safe and may be called from any thread.
/// - It returns promptly, with `.stopped(reason:)`, once `context.stop.isRequested` (cancel, shutdown, coordinator
///   timeout): poll it between steps, or register `context.stop.onRequest` to interrupt a blocking wait.
/// - It never crashes the worker for a bad trial: a failure is data, `.failed(reason:)` with a message that says what
///   happened and echoes the values.
/// - The completed value is finite.
public protocol Objective: Sendable {
    /// Evaluates one trial, blocking until it is done, failed or stopped.
    ///
    /// - Parameters:
    ///   - context: the trial's id, attempt, parameters and stop signal.
    ///   - report: sends an intermediate value to the coordinator: `step` (e.g. epoch, from 1), `value` (the
    ///     objective's metric so far), and other `metrics` by name.
    /// - Returns: the outcome; `.completed` carries the final value and any metrics to record with it.
    func run(
        _ context: TrialContext,
        report: @escaping @Sendable (_ step: Int, _ value: Double, _ metrics: [String: Double]) -> Void
    ) -> ObjectiveOutcome

    /// Releases what the objective keeps between trials (the persistent `command` objective's processes). The
    /// worker calls it once it is done with the objective (it shuts down, or another study's objective replaces this
    /// one), from any thread, possibly while a trial still runs (that trial's slot then releases its share when the
    /// trial ends). It may block, up to the objective's own grace period. Default: nothing.
    func close()
}

extension Objective {
    /// Nothing to release.
    public func close() {}
}

/// What an objective gets to evaluate one trial.
public struct TrialContext: Sendable {
    /// The coordinator's trial id (0, 1, 2, …).
    public var trialID: Int
    /// Which attempt at this trial, as the coordinator numbers them (hpo starts at 1; a re-queued trial gets the next).
    public var attempt: Int
    /// The parameter values to evaluate, validated against the study's search space by the coordinator.
    public var parameters: Assignment
    /// Requested when the trial must stop early (cancel, shutdown, lost coordinator).
    public var stop: StopSignal
    /// Where the objective's own output lines go besides the log (the worker's per-trial log file,
    /// docs/trial-logs.md): `(stream, line)` with stream `stdout` or `stderr`; nil when none.
    public var output: (@Sendable (_ stream: String, _ line: String) -> Void)? = nil

    /// Where the trial runs: the worker's index, its slot, and the slot's device (docs/worker.md, *Slots and GPUs*).
    public var placement: TrialPlacement

    public init(
        trialID: Int, attempt: Int, parameters: Assignment, stop: StopSignal = StopSignal(),
        placement: TrialPlacement = TrialPlacement()
    ) {
        self.trialID = trialID
        self.attempt = attempt
        self.parameters = parameters
        self.stop = stop
        self.placement = placement
    }
}

/// How one evaluation ended.
public enum ObjectiveOutcome: Sendable, Equatable {
    /// Finished: `value` is the objective's metric (finite), `metrics` anything else worth recording.
    case completed(value: Double, metrics: [String: Double])
    /// The trial itself failed (diverged, crashed, bad output); recorded as data, the study goes on.
    case failed(reason: String)
    /// Stopped early on request (`TrialContext.stop`); `reason` says who asked and why.
    case stopped(reason: String)
}
