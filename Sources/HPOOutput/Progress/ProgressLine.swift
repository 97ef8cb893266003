import Foundation
import Glibc
public import HPOCoordinatorCore
import HPOOptimizer

/// The live one-line progress display of `hpo run` on a terminal (standard error), redrawn in place.
public enum ProgressLine {
    /// Whether standard error is a terminal (otherwise plain log lines are printed instead).
    public static var isTerminal: Bool { isatty(2) == 1 }

    /// `done/budget, running, failed, best, live workers` for a snapshot.
    public static func text(_ snapshot: StudySnapshot) -> String {
        let budget = snapshot.trialBudget.map { "\($0)" } ?? "∞"
        let best = snapshot.best?.value.map { String(format: "%.6g", $0) } ?? "–"
        var line = "trials \(snapshot.completed)/\(budget) done, \(snapshot.running) running, \(snapshot.failed) failed"
        line += " | best \(best)"
        if let best = snapshot.best {
            line += " (#\(best.id.rawValue))"
        }
        line += " | \(snapshot.liveWorkers) workers"
        if snapshot.isStopping {
            line += " | stopping"
        }
        return line
    }

    /// Redraws the line (carriage return, clear to end of line).
    public static func draw(_ snapshot: StudySnapshot) {
        write("\r\u{1B}[K" + text(snapshot))
    }

    /// Ends the line so later output starts on a fresh one.
    public static func finish() {
        write("\r\u{1B}[K")
    }

    private static func write(_ text: String) {
        var bytes = Array(text.utf8)
        _ = Glibc.write(2, &bytes, bytes.count)
    }
}
