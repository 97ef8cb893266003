public import HPOCoordinatorRuntime
public import HPOCoordinatorCore
import HPOOptimizer

/// A study's learning curves from its journal (`hpo show --curves`): each trial's journaled intermediate values,
/// of its latest attempt only (a retried trial starts its curve again).
public struct StudyCurves: Sendable, Hashable {
    /// One journaled intermediate value.
    public struct Point: Sendable, Hashable {
        public var trial: Int
        public var step: Int
        public var value: Double
    }

    /// Every point, by trial id, then in journal order.
    public var points: [Point]

    /// The curves in `events` (journal order).
    public init(events: some Sequence<JournalEvent>) {
        var attempts: [Int: Int] = [:]
        var curves: [Int: [Point]] = [:]
        for case .trialProgress(let trial, let attempt, let step, let value) in events {
            let id = trial.rawValue
            if attempt > attempts[id, default: 0] {
                attempts[id] = attempt
                curves[id] = []
            }
            guard attempt == attempts[id] else { continue }   // a late row of a superseded attempt
            curves[id, default: []].append(Point(trial: id, step: step, value: value))
        }
        points = curves.keys.sorted().flatMap { curves[$0] ?? [] }
    }

    /// Reads the journal at `path` read-only (safe while a coordinator writes it).
    ///
    /// - Throws: ``CoordinatorError`` if the file is missing, damaged or not a journal.
    public static func load(journalPath path: String) throws(CoordinatorError) -> StudyCurves {
        StudyCurves(events: try JournalStore<JournalEvent>(path: path, mode: .readOnly).readAll().map(\.event))
    }

    /// `trial,step,value` and one line per point (values with full precision).
    public var csv: String {
        points.reduce(into: "trial,step,value\n") { text, point in
            text += "\(point.trial),\(point.step),\(point.value)\n"
        }
    }

    /// `[{"trial": 0, "step": 1, "value": 0.5}, …]`, one point per line.
    public var json: String {
        let lines = points.map { "  {\"trial\": \($0.trial), \"step\": \($0.step), \"value\": \($0.value)}" }
        return lines.isEmpty ? "[]\n" : "[\n" + lines.joined(separator: ",\n") + "\n]\n"
    }
}
