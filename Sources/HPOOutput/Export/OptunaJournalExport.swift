import Foundation
import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
import HPOCoordinatorRuntime

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

    /// The journal text (one JSON object per line) for `entries`, folded by ``JournalFold`` (the fold of replay and
    /// `hpo show`).
    ///
    /// - Throws: `OutputError` when the journal has no study start (nothing to name the study by).
    static func text(entries: [JournalEntry<JournalEvent>]) throws(OutputError) -> String {
        let fold = JournalFold(entries: entries)
        guard let name = fold.sessions.first?.name, let latest = fold.sessions.last else {
            throw OutputError(.nothingToExport, "the journal has no study start, so there is nothing to export; run the study first")
        }
        let direction = latest.direction
        let space: SearchSpace? = latest.space
        let workerID = "hpo-export-\(ProcessInfo.processInfo.processIdentifier)"
        var lines = [encode(CreateStudy(workerID: workerID, studyName: name, directions: [direction == .maximize ? 2 : 1]))]
        let parameters = space?.parameters ?? []
        for trial in fold.trialsInOrder {
            let state: State
            switch trial.shownState {
            case .queued: state = .waiting
            case .running: state = .running
            case .completed: state = .complete
            case .failed: state = .fail
            // Optuna keeps a pruned trial's last intermediate value as its value (`trial.value` gives it).
            case .pruned: state = .pruned
            }
            var params: [String: Number] = [:]
            var distributions: [String: String] = [:]
            for parameter in parameters {
                guard let value = trial.parameters[parameter.name], let form = optunaForm(parameter, value) else { continue }
                params[parameter.name] = form.internal
                distributions[parameter.name] = encode(form.distribution)
            }
            lines.append(encode(CreateTrial(
                workerID: workerID, state: state.rawValue, params: params, distributions: distributions,
                userAttributes: ["hpo_trial_id": trial.id.rawValue],
                intermediateValues: Dictionary(uniqueKeysWithValues: trial.curve.map { (String($0.key), $0.value) }),
                started: trial.runs.first.map { isoDate(Date(timeIntervalSince1970: $0.start)) },
                completed: trial.finishedAt.map { isoDate(Date(timeIntervalSince1970: $0)) },
                values: trial.value.map { [$0] })))
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
