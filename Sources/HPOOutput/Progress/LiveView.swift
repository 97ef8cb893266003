public import HPOCoordinatorCore
import HPOOptimizer
import HPOReport
import HPOSearchSpace

/// The live multi-line view of `hpo run` and `hpo coordinator` on a terminal (docs/coordinator.md, *Live view*):
/// pure text from a snapshot, so it is tested without a terminal. `LiveDisplay` draws it.
public enum LiveView {
    /// The view's lines, each at most `width` characters:
    ///
    /// ```text
    /// digits: 30/60 done (18 pruned), 4 running, 1 failed | 0.91 trials/s | elapsed 34s, ETA 34s
    /// best 0.986 (trial 11): lr=0.0123 batch_size=64
    /// 4 workers
    ///   trial 12  local-0  step 7: 0.91   3.2s
    ///   … 2 more running
    /// ```
    ///
    /// While stopping, the workers line says what the stop waits for and that a second Ctrl-C aborts.
    /// - Parameters:
    ///   - elapsed: time since the session started.
    ///   - now: the clock reading the running trials' ages are measured against.
    ///   - maxTrials: running trials listed one per line; the rest are counted.
    public static func lines(
        _ snapshot: StudySnapshot, study: String, metric: String, elapsed: Duration, now: ContinuousClock.Instant,
        width: Int = 100, maxTrials: Int = 8
    ) -> [String] {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        var head = "\(study): \(done(completed: snapshot.completed, pruned: snapshot.pruned, budget: snapshot.trialBudget)), "
            + "\(snapshot.running) running, \(snapshot.failed) failed"
        // Pruned trials count toward the budget like completed ones, so they count toward the rate and ETA too.
        let budgeted = snapshot.completed + snapshot.pruned
        let finished = budgeted + snapshot.failed
        if seconds > 0 {
            head += " | \(NumberText.short(Double(finished) / seconds, digits: 3)) trials/s | elapsed \(clock(seconds))"
            if let trialBudget = snapshot.trialBudget, budgeted > 0, budgeted < trialBudget {
                let rate = Double(budgeted) / seconds
                head += ", ETA \(clock(Double(trialBudget - budgeted) / rate))"
            }
        }
        var lines = [head]
        if let best = snapshot.best, let value = best.value {
            let parameters = best.parameters.keys.sorted().map { name in
                "\(name)=\(best.parameters[name]!.doubleValue.map { NumberText.short($0, digits: 4) } ?? best.parameters[name]!.description)"
            }
            lines.append("best \(metric) \(NumberText.short(value, digits: 6)) (trial \(best.id.rawValue)): " + parameters.joined(separator: " "))
        } else {
            lines.append("best: none yet")
        }
        var workers = "\(snapshot.liveWorkers) worker\(snapshot.liveWorkers == 1 ? "" : "s")"
        if snapshot.isStopping {
            workers += snapshot.running > 0
                ? " | stopping: waiting for \(snapshot.running) running trial\(snapshot.running == 1 ? "" : "s") to finish; Ctrl-C again stops at once"
                : " | stopping"
        }
        lines.append(workers)
        for trial in snapshot.runningTrials.prefix(maxTrials) {
            let progress = trial.step.map { step in
                "step \(step): " + (trial.value.map { NumberText.short($0, digits: 4) } ?? "–")
            } ?? "starting"
            let age = clock(Double((now - trial.since).components.seconds) + Double((now - trial.since).components.attoseconds) * 1e-18)
            let attempt = trial.attempt > 1 ? " (attempt \(trial.attempt))" : ""
            lines.append("  trial \(trial.trial.rawValue)\(attempt)  \(workerName(trial.worker))  \(progress)  \(age)")
        }
        if snapshot.runningTrials.count > maxTrials {
            lines.append("  … \(snapshot.runningTrials.count - maxTrials) more running")
        }
        return lines.map { fit($0, width: width) }
    }

    /// `12/50 done`, or with pruned trials `30/60 done (18 pruned)`: completed and pruned trials out of the budget
    /// (`∞` without one), since both count toward it. The status line of the live view and of `hpo status`.
    public static func done(completed: Int, pruned: Int, budget: Int?) -> String {
        "\(completed + pruned)/\(budget.map { "\($0)" } ?? "∞") done" + (pruned > 0 ? " (\(pruned) pruned)" : "")
    }

    /// `local-0.1234.ab12` → `local-0`: the worker's name without the pid and suffix its routing id adds.
    static func workerName(_ printed: String) -> String {
        let parts = printed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3, Int(parts[parts.count - 2]) != nil, UInt16(parts[parts.count - 1], radix: 16) != nil
        else { return printed }
        return parts.dropLast(2).joined(separator: ".")
    }

    /// `42s`, `3m05s`, `2h07m`; tenths below 10 s (`3.2s`).
    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        if seconds < 10 { return "\((seconds * 10).rounded(.down) / 10)s" }
        let whole = Int(seconds)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return "\(whole / 60)m\(two(whole % 60))s" }
        return "\(whole / 3600)h\(two(whole / 60 % 60))m"
    }

    /// `text` cut to `width` characters with an ellipsis (a terminal line that wraps would break the redraw).
    static func fit(_ text: String, width: Int) -> String {
        // Counting UTF-8 bytes is cheap and never under-counts characters; only a long line needs them counted.
        text.utf8.count <= width || text.count <= width ? text : String(text.prefix(max(1, width - 1))) + "…"
    }
}
