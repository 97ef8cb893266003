import Foundation
import HPOSearchSpace
import Logging
import Synchronization

/// The `command` objective with `persistent: true`: one long-lived process per worker slot serves the slot's trials
/// one at a time, over two pipes (descriptor 3: trial and stop messages in; descriptor 4: reports out), so a
/// script pays its imports and setup once instead of once per trial (docs/objective-protocol.md, *Persistent
/// processes*).
///
/// Each slot's process is started lazily, on the slot's own thread (the worker runs slot N's trials on one
/// long-lived thread, so `PR_SET_PDEATHSIG` stays armed), and replaced after a crash, a timeout, a stop it ignored,
/// a report line over 1 MiB or `max_trials_per_process` trials. Fresh processes that keep crashing are started with
/// a growing back-off. ``close()`` (the worker shutting down) closes descriptor 3 and SIGKILLs whatever has not
/// exited after `grace_period`.
///
/// A completed trial's metrics carry the objective's own overhead: `hpo_start_overhead_ms` (the trial arriving here
/// → the program's `{"started": …}`, including the process's start for a fresh one) and `hpo_finish_overhead_ms`
/// (the final report arriving → `run` returning).
public final class PersistentCommandObjective: Objective {
    /// The options (argv, env, timeout, grace period, metric, …) and the output handler.
    public let command: CommandObjective
    private let slots = Mutex<[Int: PersistentSlot]>([:])

    /// - Precondition: `command.persistent`.
    public init(_ command: CommandObjective) {
        precondition(command.persistent, "PersistentCommandObjective needs persistent: true")
        self.command = command
    }

    public func run(
        _ context: TrialContext,
        report: @escaping @Sendable (_ step: Int, _ value: Double, _ metrics: [String: Double]) -> Void
    ) -> ObjectiveOutcome {
        let arrived = ContinuousClock.now
        let slot = slots.withLock { table in
            if let slot = table[context.placement.slot] { return slot }
            let slot = PersistentSlot(command: command, index: context.placement.slot)
            table[context.placement.slot] = slot
            return slot
        }
        return slot.run(context, arrived: arrived, report: report)
    }

    /// Closes every slot's descriptor 3 at once, then waits up to `grace_period` (one deadline for all) for the
    /// processes to exit, and SIGKILLs the groups of those that did not. A slot that runs a trial right now does
    /// the same on its own thread once the trial ends.
    public func close() {
        let all = slots.withLock { Array($0.values) }
        all.forEach { $0.beginClosing() }
        let deadline = ContinuousClock.now + command.gracePeriod
        all.forEach { $0.finishClosing(by: deadline) }
    }

    /// The pids of the slots' live processes, by slot (for tests and status).
    public var processIDs: [Int: Int32] {
        let all = slots.withLock { $0 }
        return all.compactMapValues { $0.processID }
    }

    /// Logs the line of a process that no trial owns (`hpo.command`, with the stream and the process's pid).
    static func logIdle(_ logger: Logger, pid: Int32?, stream: String, _ line: String) {
        logger.info("\(line)", metadata: ["stream": "\(stream)", "process.pid": "\(pid.map(String.init) ?? "-")"])
    }

    /// The delay before starting a fresh process after `crashes` fresh processes in a row died before finishing a
    /// trial: none below 3, then 1 s, 2 s, 4 s, … capped at 60 s.
    static func backOff(afterCrashes crashes: Int) -> Duration? {
        guard crashes >= 3 else { return nil }
        return .seconds(min(60, 1 << min(crashes - 3, 6)))
    }
}
