import Foundation
import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace

/// Writes a study as an Optuna journal file (the JSON-lines log that `optuna.storages.JournalStorage` with a
/// `JournalFileBackend` reads), so Optuna's API and optuna-dashboard can open an hpo study.
///
/// One `CREATE_STUDY` operation, then one `CREATE_TRIAL` per trial carrying its state, parameters with their
/// distributions, value, intermediate values (of its latest attempt) and times: the form `study.add_trial` writes.
/// Trial numbers follow hpo's trial ids in order. docs/report.md lists the mapping.
enum OptunaJournalExport {
    /// Optuna's operation codes and trial states (`optuna.storages.journal._storage.JournalOperation`,
    /// `optuna.trial.TrialState`).
    enum Operation: Int { case createStudy = 0, createTrial = 4 }
    enum State: Int { case running = 0, complete = 1, pruned = 2, fail = 3, waiting = 4 }

    /// One trial as the export needs it.
    struct Trial {
        var parameters: Assignment
        var state: State = .waiting
        var value: Double?
        var steps: [Int: Double] = [:]
        var started: Date?
        var completed: Date?
        var attempt = 0
    }

    /// The journal text (one JSON object per line) for `entries`.
    ///
    /// - Throws: `JournalError` when the journal has no study start (nothing to name the study by).
    static func text(entries: [JournalEntry<JournalEvent>]) throws(JournalError) -> String {
        var name: String?
        var direction = Direction.maximize
        var space: SearchSpace?
        var trials: [Int: Trial] = [:]
        for entry in entries {
            switch entry.event {
            case .studyStarted(let studyName, _, let studyDirection, let studySpace, _, _, _):
                name = name ?? studyName
                direction = studyDirection
                space = studySpace
            case .trialProposed(let trial, let parameters):
                trials[trial.rawValue] = Trial(parameters: parameters)
            case .trialDispatched(let trial, let attempt, _), .trialAdopted(let trial, let attempt, _):
                if attempt != trials[trial.rawValue]?.attempt { trials[trial.rawValue]?.steps = [:] }
                trials[trial.rawValue]?.attempt = attempt
                trials[trial.rawValue]?.state = .running
                if trials[trial.rawValue]?.started == nil { trials[trial.rawValue]?.started = entry.time }
            case .trialProgress(let trial, let attempt, let step, let value):
                if attempt == trials[trial.rawValue]?.attempt { trials[trial.rawValue]?.steps[step] = value }
            case .trialCompleted(let trial, _, let value, _, _):
                // The first result wins (a late one of a superseded attempt changes nothing).
                guard trials[trial.rawValue]?.completed == nil else { continue }
                trials[trial.rawValue]?.state = .complete
                trials[trial.rawValue]?.value = value
                trials[trial.rawValue]?.completed = entry.time
            case .trialFailed(let trial, _, _):
                guard trials[trial.rawValue]?.completed == nil else { continue }
                trials[trial.rawValue]?.state = .fail
                trials[trial.rawValue]?.completed = entry.time
            case .trialPruned(let trial, _, _, let value, _):
                guard trials[trial.rawValue]?.completed == nil else { continue }
                // Optuna keeps a pruned trial's last intermediate value as its value.
                trials[trial.rawValue]?.state = .pruned
                trials[trial.rawValue]?.value = value
                trials[trial.rawValue]?.completed = entry.time
            case .trialRequeued(let trial, _, _, _):
                trials[trial.rawValue]?.state = .waiting
            case .studyFinished:
                for id in Array(trials.keys) where trials[id]?.state == .running { trials[id]?.state = .waiting }
            case .workerJoined, .workerLeft, .workerLost:
                break
            }
        }
        guard let name else {
            throw JournalError(.notAJournal, path: "", "the journal has no study start, so there is nothing to export; run the study first")
        }
        let workerID = "hpo-export-\(ProcessInfo.processInfo.processIdentifier)"
        var lines = [encode(CreateStudy(workerID: workerID, studyName: name, directions: [direction == .maximize ? 2 : 1]))]
        let parameters = space?.parameters ?? []
        for id in trials.keys.sorted() {
            let trial = trials[id]!
            var params: [String: Number] = [:]
            var distributions: [String: String] = [:]
            for parameter in parameters {
                guard let value = trial.parameters[parameter.name], let form = optunaForm(parameter, value) else { continue }
                params[parameter.name] = form.internal
                distributions[parameter.name] = encode(form.distribution)
            }
            let finished = trial.state == .complete || trial.state == .fail
            lines.append(encode(CreateTrial(
                workerID: workerID, state: trial.state.rawValue, params: params, distributions: distributions,
                userAttributes: ["hpo_trial_id": id],
                intermediateValues: Dictionary(uniqueKeysWithValues: trial.steps.map { (String($0.key), $0.value) }),
                started: trial.started.map(isoDate), completed: finished ? trial.completed.map(isoDate) : nil,
                values: trial.state == .complete ? trial.value.map { [$0] } : nil)))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The parameter's internal value and distribution in Optuna's terms (`distribution_to_json`): floats and ints as
    /// themselves, a categorical as the index of its choice, a fixed parameter as a categorical with one choice.
    static func optunaForm(_ parameter: Parameter, _ value: ParameterValue) -> (internal: Number, distribution: Distribution)? {
        switch parameter.kind {
        case .float(let low, let high, let log, let step):
            guard let number = value.doubleValue else { return nil }
            return (.real(number), Distribution(name: "FloatDistribution", attributes: .float(low: low, high: high, log: log, step: step)))
        case .int(let low, let high, let log, let step):
            guard let number = value.intValue else { return nil }
            return (.integer(number), Distribution(name: "IntDistribution", attributes: .int(low: low, high: high, log: log, step: step ?? 1)))
        case .categorical(let choices):
            guard let index = choices.firstIndex(of: value) else { return nil }
            return (.integer(index), Distribution(name: "CategoricalDistribution", attributes: .categorical(choices)))
        case .fixed(let fixed):
            return (.integer(0), Distribution(name: "CategoricalDistribution", attributes: .categorical([fixed])))
        }
    }

    /// One compact JSON object, keys sorted, slashes not escaped.
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// `2026-12-01T04:53:22.123456` (UTC, no zone: the naive form Optuna writes and reads with `fromisoformat`).
    static func isoDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))T\(pad(parts.hour, 2)):\(pad(parts.minute, 2)):\(pad(parts.second, 2)).\(pad((parts.nanosecond ?? 0) / 1000, 6))"
    }

}
