import ArgumentParser
import HPOCoordinatorRuntime
import HPOOptimizer
import HPOOutput
import HPOSearchSpace
import HPOStudyFile
import HPOWire

/// `hpo enqueue`: queues a trial with given parameters: in a stopped study's journal (the next `--resume` runs it
/// first), or, while the study runs, through its coordinator (ENQUEUE), which runs it before any new proposal.
///
/// Exit status: 0 queued; 65 when the journal is missing or damaged, or the parameters do not fit the space (or name
/// another study); 69 when the running study takes no more trials (budget used up, stopping, over); 75 when its
/// coordinator holds its maximum of enqueued trials; 1 when the coordinator does not answer; 64 for usage.
struct EnqueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enqueue",
        abstract: "Queue a trial with given parameters; it runs before any new proposal.",
        discussion: """
            Give the journal (e.g. digits.db) or the study file, then one name=value per parameter (fixed parameters \
            may be left out), e.g. hpo enqueue digits.yaml lr=0.01 batch_size=64 optimizer=adam. In a stopped study \
            the trial is added to the journal and the next --resume runs it first. While the study runs (its journal \
            is locked), the trial goes to its coordinator, reached like hpo status does: --connect, --connect-file, or \
            the study file's transport.connect, else transport.bind with a fixed port; --keys when it uses CURVE. \
            The coordinator checks the values against its space, journals the trial and runs it before any new \
            proposal. Exit status 65 when the journal is missing or damaged or a value does not fit; 69 when the \
            running study takes no more trials (budget used up, stopping or over); 75 when its coordinator already \
            holds its maximum of waiting enqueued trials; 1 when it does not answer; 64 for usage.
            """
    )

    @Argument(help: "The study's journal (.db) or its study file (.yaml).")
    var path: String

    @Argument(help: "The trial's parameters, as name=value.")
    var parameters: [String] = []

    @OptionGroup var coordinator: CoordinatorClientOptions

    func validate() throws {
        try coordinator.validate(study: path)
    }

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
        let isStudyFile = path.hasSuffix(".yaml") || path.hasSuffix(".yml")
        let study = isStudyFile ? try StudyCommandSupport.loadStudy(path) : nil
        if !coordinator.namesCoordinator {
            do {
                let trial = try JournalEnqueue.enqueue(
                    assignment, journalPath: study?.journalPath ?? path, space: study?.space)
                print("trial \(trial.id.rawValue) queued: \(Self.shown(trial.parameters)); the next --resume runs it before any proposal")
                return
            } catch where error.studyIsRunning && isStudyFile {
                // Running: the coordinator named by the study file takes it (below).
            } catch {
                StudyCommandSupport.writeError(StudyCommandSupport.errorLine(error))
                throw ExitCode(error.studyIsRunning ? 64 : 65)
            }
        }
        try enqueueInRunningStudy(assignment, studyName: study?.name)
    }

    /// Sends ENQUEUE to the running coordinator and reports its answer.
    private func enqueueInRunningStudy(_ assignment: Assignment, studyName: String?) throws {
        let request: CoordinatorRequest
        let answer: EnqueueQuery.Answer
        do {
            request = try coordinator.request(study: path, defaultTimeout: .seconds(30))
            answer = try EnqueueQuery.run(assignment, study: studyName, request: request)
        } catch let error as ValidationError {
            throw error   // usage: exit 64 with the message
        } catch {
            StudyCommandSupport.writeError(StudyCommandSupport.errorLine(error))
            throw ExitCode(1)
        }
        switch answer {
        case .queued(let reply):
            print(
                "trial \(reply.trialID) queued in the running study: \(Self.shown(reply.parameters)); it runs before "
                    + "any new proposal (\(reply.queuedAhead) queued ahead of it)")
        case .refused(let code, let message):
            let hint = code == .malformedMessage
                ? " (a coordinator older than ENQUEUE: stop the study, hpo enqueue it, then --resume)" : ""
            StudyCommandSupport.writeError("error: the coordinator at \(request.endpoint) refused the trial: \(message)\(hint)")
            throw ExitCode(Self.exitStatus(refusal: code))
        }
    }

    /// 65 for values that do not fit (or another study), 69 when the study takes no more trials, 75 when the
    /// coordinator's limit of waiting enqueued trials is reached, 1 otherwise.
    static func exitStatus(refusal code: ErrorReply.Code) -> Int32 {
        switch code {
        case .invalidParameters, .wrongStudy: 65
        case .budgetSpent, .studyClosed: 69
        case .enqueueLimit: 75
        default: 1
        }
    }

    /// `a=1 b=0.5`, sorted by name.
    static func shown(_ parameters: Assignment) -> String {
        parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }
}
