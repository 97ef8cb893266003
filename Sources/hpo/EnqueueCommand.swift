import ArgumentParser
import HPOCoordinatorRuntime
import HPOOptimizer
import HPOSearchSpace
import HPOStudyFile

/// `hpo enqueue`: queues a trial with given parameters in a stopped study; the next `--resume` runs it first.
///
/// Exit status: 0 queued, 65 when the journal is missing, running, damaged or the parameters do not fit the space,
/// 64 for usage (an argument that is not `name=value`).
struct EnqueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enqueue",
        abstract: "Queue a trial with given parameters in a stopped study; the next --resume runs it first.",
        discussion: """
            Give the journal (e.g. digits.db) or the study file, then one name=value per parameter (fixed parameters
            may be left out), e.g. hpo enqueue digits.yaml lr=0.01 batch_size=64 optimizer=adam. Values are checked
            against the study file's search space (or, for a journal, the space of its last session). The study must
            be stopped; for a running one, add the trial to the study file's enqueue: list and --resume later.
            Exit status 65 when the journal is missing, in use or damaged, or a value does not fit; 64 for usage.
            """
    )

    @Argument(help: "The study's journal (.db) or its study file (.yaml).")
    var path: String

    @Argument(help: "The trial's parameters, as name=value.")
    var parameters: [String] = []

    func run() async throws {
        var assignment = Assignment()
        for argument in parameters {
            guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
                StudyCommandSupport.writeError("error: \"\(argument)\" is not name=value; write e.g. lr=0.01")
                throw ExitCode(64)
            }
            let name = String(argument[..<equals])
            guard assignment[name] == nil else {
                StudyCommandSupport.writeError("error: \(name) is given twice; give each parameter once")
                throw ExitCode(64)
            }
            assignment[name] = JournalEnqueue.value(commandLine: String(argument[argument.index(after: equals)...]))
        }
        let study = path.hasSuffix(".yaml") || path.hasSuffix(".yml") ? try StudyCommandSupport.loadStudy(path) : nil
        do {
            let trial = try JournalEnqueue.enqueue(
                assignment, journalPath: study?.journalPath ?? path, space: study?.space)
            let shown = trial.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            print("trial \(trial.id.rawValue) queued: \(shown); the next --resume runs it before any proposal")
        } catch {
            StudyCommandSupport.writeError(StudyCommandSupport.errorLine(error))
            throw ExitCode(65)
        }
    }
}
