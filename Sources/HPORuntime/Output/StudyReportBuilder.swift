import Foundation
import HPOCoordinatorCore
import HPOOptimizer
import HPOReport
import HPOSearchSpace
import HPOWire

/// Turns a study's journal into the report's data: trials with their attempts and learning curves, worker losses,
/// settings, importance and warnings.
enum StudyReportBuilder {
    /// The report data of the journal `entries` (in journal order).
    static func data(entries: [JournalEntry<JournalEvent>], metric: String? = nil) -> ReportData {
        let origin = entries.first?.time ?? Date()
        func seconds(_ date: Date) -> Double { max(0, date.timeIntervalSince(origin)) }
        var name = "study"
        var direction = Direction.maximize
        var space: SearchSpace?
        var settings: [(key: String, value: String)] = []
        var trials: [Int: ReportData.Trial] = [:]
        var assignments: [Int: Assignment] = [:]
        var workerEvents: [ReportData.WorkerEvent] = []
        var sessions = 0

        func closeRun(_ trial: Int, at time: Double, outcome: String) {
            guard var record = trials[trial], let last = record.runs.indices.last, record.runs[last].end == nil else { return }
            record.runs[last].end = time
            record.runs[last].outcome = outcome
            trials[trial] = record
        }

        /// The first result wins: a trial that completed, failed or was pruned keeps that end.
        func hasEnded(_ trial: Int) -> Bool {
            [.completed, .failed, .pruned].contains(trials[trial]?.state)
        }

        for entry in entries {
            let time = seconds(entry.time)
            switch entry.event {
            case .studyStarted(let studyName, _, let studyDirection, let studySpace, let objective, let budget, let data):
                name = studyName
                direction = studyDirection
                space = studySpace
                sessions += 1
                settings = [
                    ("direction", studyDirection.rawValue), ("objective", describe(objective)),
                    ("trial budget", budget == Int.max ? "none (wall time only)" : "\(budget)"),
                    ("sessions", "\(sessions)"),
                ] + (data.map { [("data", $0)] } ?? [])
            case .trialProposed(let trial, let parameters):
                assignments[trial.rawValue] = parameters
                trials[trial.rawValue] = ReportData.Trial(
                    id: trial.rawValue, state: .queued, parameters: reportValues(parameters, in: space), value: nil,
                    finishedAt: nil)
            case .trialDispatched(let trial, let attempt, let worker), .trialAdopted(let trial, let attempt, let worker):
                closeRun(trial.rawValue, at: time, outcome: "requeued")
                if attempt > 1 || trials[trial.rawValue]?.runs.isEmpty == false { trials[trial.rawValue]?.curve = [] }
                trials[trial.rawValue]?.state = .running
                trials[trial.rawValue]?.runs.append(.init(worker: worker.description, start: time, end: nil, outcome: "running"))
            case .trialProgress(let trial, _, let step, let value):
                trials[trial.rawValue]?.curve.append(.init(step: step, value: value))
            case .trialCompleted(let trial, _, let value, _, _):
                // The first result wins; a late one of a superseded attempt is in the journal but changes nothing.
                guard !hasEnded(trial.rawValue) else { continue }
                closeRun(trial.rawValue, at: time, outcome: "completed")
                trials[trial.rawValue]?.state = .completed
                trials[trial.rawValue]?.value = value
                trials[trial.rawValue]?.finishedAt = time
            case .trialFailed(let trial, _, let reason):
                guard !hasEnded(trial.rawValue) else { continue }
                closeRun(trial.rawValue, at: time, outcome: "failed")
                trials[trial.rawValue]?.state = .failed
                trials[trial.rawValue]?.reason = reason
                trials[trial.rawValue]?.finishedAt = time
            case .trialPruned(let trial, _, _, let value, let reason):
                guard !hasEnded(trial.rawValue) else { continue }
                closeRun(trial.rawValue, at: time, outcome: "pruned")
                trials[trial.rawValue]?.state = .pruned
                trials[trial.rawValue]?.value = value
                trials[trial.rawValue]?.reason = reason
                trials[trial.rawValue]?.finishedAt = time
            case .trialRequeued(let trial, _, _, let reason):
                closeRun(trial.rawValue, at: time, outcome: "requeued")
                trials[trial.rawValue]?.state = .queued
                trials[trial.rawValue]?.reason = reason
            case .workerLost(let worker, _):
                workerEvents.append(.init(worker: worker.description, time: time, kind: "lost"))
            case .workerLeft(let worker, _):
                workerEvents.append(.init(worker: worker.description, time: time, kind: "left"))
            case .workerJoined:
                break
            case .studyFinished:
                for id in Array(trials.keys) where trials[id]?.state == .running {
                    closeRun(id, at: time, outcome: "requeued")
                    trials[id]?.state = .queued
                }
            }
        }
        for id in trials.keys {
            trials[id]?.curve.sort { $0.step < $1.step }
        }
        let ordered = trials.keys.sorted().compactMap { trials[$0] }
        var data = ReportData(
            title: name, maximize: direction == .maximize, metric: metric ?? "value",
            parameters: space.map(reportParameters) ?? [], trials: ordered, importanceMethod: ParameterImportance.method,
            workerEvents: workerEvents, settings: settings, version: HPOVersion.current)
        if let space {
            let completed = ordered.compactMap { trial in
                trial.value.flatMap { value in assignments[trial.id].map { (assignment: $0, value: value) } }
            }
            data.importance = ParameterImportance.estimate(space: space, trials: completed)
            if let best = data.best, let assignment = assignments[best.id] {
                data.warnings = BoundaryWarning.messages(space: space, best: assignment)
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
