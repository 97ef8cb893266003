import Foundation
import HPOCoordinatorCore
import HPOOptimizer
import HPOReport
import HPOSearchSpace
import HPOWire
import HPOCoordinatorRuntime

/// Turns a study's journal into the report's data: trials with their attempts and learning curves, worker losses,
/// settings, importance and warnings.
enum StudyReportBuilder {
    /// The report data of the journal `entries` (in journal order), folded by ``JournalFold`` (the fold of replay and
    /// `hpo show`), with times in seconds since the first entry.
    static func data(entries: [JournalEntry<JournalEvent>], metric: String? = nil) -> ReportData {
        let fold = JournalFold(entries: entries, since: entries.first?.time.timeIntervalSince1970 ?? 0)
        let latest = fold.sessions.last
        let space = latest?.space
        var settings: [(key: String, value: String)] = []
        if let latest {
            settings = [
                ("direction", latest.direction.rawValue), ("objective", latest.objective.map(describe) ?? "unknown"),
                ("trial budget", latest.trialBudget.map { "\($0)" } ?? "none (wall time only)"),
                ("sessions", "\(fold.sessions.count)"),
            ] + (latest.data.map { [("data", $0)] } ?? [])
        }
        let trials = fold.trialsInOrder.map { trial in
            ReportData.Trial(
                id: trial.id.rawValue, state: ReportData.Trial.State(rawValue: trial.shownState.rawValue) ?? .queued,
                parameters: reportValues(trial.parameters, in: space), value: trial.value,
                finishedAt: trial.finishedAt,
                curve: trial.curve.keys.sorted().map { ReportData.Trial.Step(step: $0, value: trial.curve[$0]!) },
                runs: trial.runs.map {
                    ReportData.Trial.Run(worker: $0.worker.description, start: $0.start, end: $0.end, outcome: $0.outcome.rawValue)
                },
                reason: trial.reason)
        }
        var data = ReportData(
            title: fold.sessions.first?.name ?? "study", maximize: (latest?.direction ?? .maximize) == .maximize,
            metric: metric ?? "value", parameters: space.map(reportParameters) ?? [], trials: trials,
            importanceMethod: ParameterImportance.method,
            workerEvents: fold.retirements.map { .init(worker: $0.worker.description, time: $0.time, kind: $0.lost ? "lost" : "left") },
            settings: settings, version: HPOVersion.current)
        if let space {
            // Completed trials only: a pruned trial's value is an intermediate one, not the objective's.
            let completed = fold.trialsInOrder.compactMap { trial in
                trial.shownState == .completed ? trial.value.map { (assignment: trial.parameters, value: $0) } : nil
            }
            data.importance = ParameterImportance.estimate(space: space, trials: completed)
            if let best = data.best, let trial = fold.trials[TrialID(best.id)] {
                data.warnings = BoundaryWarning.messages(space: space, best: trial.parameters)
            }
        }
        return data
    }

    /// Numbers for numeric parameters, the choice's text for categorical ones (so it finds its band).
    static func reportValues(_ assignment: Assignment, in space: SearchSpace?) -> [String: ReportData.Value] {
        var categorical = Set<String>()
        for parameter in space?.parameters ?? [] {
            if case .categorical = parameter.kind { categorical.insert(parameter.name) }
        }
        return Dictionary(uniqueKeysWithValues: assignment.map { name, value in
            guard !categorical.contains(name), let number = value.doubleValue else { return (name, .text(value.description)) }
            return (name, .number(number))
        })
    }

    static func reportParameters(_ space: SearchSpace) -> [ReportData.Parameter] {
        space.parameters.compactMap { parameter in
            switch parameter.kind {
            case .float(let low, let high, let log, _):
                return .init(name: parameter.name, axis: .numeric(low: low, high: high, log: log))
            case .int(let low, let high, let log, _):
                return .init(name: parameter.name, axis: .numeric(low: Double(low), high: Double(high), log: log))
            case .categorical(let choices):
                return .init(name: parameter.name, axis: .categories(choices.map(\.description)))
            case .fixed:
                return nil
            }
        }
    }

    static func describe(_ objective: ObjectiveDescriptor) -> String {
        let options = objective.options.keys.sorted().map { "\($0): \(objective.options[$0]!)" }
        return options.isEmpty ? objective.kind : "\(objective.kind) (\(options.joined(separator: ", ")))"
    }
}
