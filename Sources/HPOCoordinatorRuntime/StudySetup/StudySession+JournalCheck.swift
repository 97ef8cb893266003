import HPOCoordinatorCore
import HPOSearchSpace
import HPOStudyFile

extension StudySession {
    /// Refuses to resume a journal whose study has another search space than the study file, naming what differs.
    ///
    /// - Throws: `StudySessionError` (`.data`) "journal <path> was started with another search space: …; resume
    ///   with the study file it was started with, or use a new journal path".
    static func checkSameStudy(_ events: [JournalEvent], config: StudyConfig) throws(StudySessionError) {
        for event in events {
            guard case .studyStarted(_, _, _, let space, _, _, _) = event else { continue }
            guard space != config.space else { continue }
            throw StudySessionError(
                "journal \(config.journalPath) was started with another search space: "
                    + differences(journal: space, studyFile: config.space).joined(separator: "; ")
                    + ". Resume with the study file it was started with, or use --overwrite or a new journal path",
                category: .data)
        }
    }

    /// What differs between the journal's search space and the study file's, one phrase each (parameter order
    /// included, since the encoding depends on it).
    static func differences(journal: SearchSpace, studyFile: SearchSpace) -> [String] {
        var found: [String] = []
        let removed = journal.names.filter { studyFile.parameter(named: $0) == nil }
        let added = studyFile.names.filter { journal.parameter(named: $0) == nil }
        if !removed.isEmpty {
            found.append("the study file lacks \(removed.joined(separator: ", "))")
        }
        if !added.isEmpty {
            found.append("the study file adds \(added.joined(separator: ", "))")
        }
        for parameter in journal.parameters {
            guard let now = studyFile.parameter(named: parameter.name), now.kind != parameter.kind else { continue }
            found.append("\(parameter.name) was \(describe(parameter.kind)), the study file has \(describe(now.kind))")
        }
        let common = journal.names.filter { studyFile.parameter(named: $0) != nil }
        if found.isEmpty && common != studyFile.names.filter({ journal.parameter(named: $0) != nil }) {
            found.append(
                "the parameters are in another order (journal: \(journal.names.joined(separator: ", ")); study file: "
                    + "\(studyFile.names.joined(separator: ", ")))")
        }
        if found.isEmpty {
            found.append("the parameter definitions differ")
        }
        return found
    }

    /// A parameter's kind as a study file spells it, e.g. `{type: float, low: -5.0, high: 10.0, log: true}`.
    private static func describe(_ kind: ParameterKind) -> String {
        switch kind {
        case .float(let low, let high, let log, let step):
            "{type: float, low: \(low), high: \(high)\(log ? ", log: true" : "")\(step.map { ", step: \($0)" } ?? "")}"
        case .int(let low, let high, let log, let step):
            "{type: int, low: \(low), high: \(high)\(log ? ", log: true" : "")\(step.map { ", step: \($0)" } ?? "")}"
        case .categorical(let choices):
            "{type: categorical, choices: [\(choices.map { "\($0)" }.joined(separator: ", "))]}"
        case .fixed(let value):
            "{type: fixed, value: \(value)}"
        }
    }
}
