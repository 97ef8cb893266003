import Foundation
public import HPOSearchSpace
public import HPOWire
import Logging
public import HPOStudyFile

/// Runs any program per trial and reads its metric (docs/objective-protocol.md).
///
/// Study-file form:
/// ```yaml
/// metric: accuracy
/// objective:
///   kind: command
///   argv: [python3, train.py, "--lr={lr}", "--trial={trial_id}"]
///   working_directory: experiments/     # optional; default the worker's
///   env: {CUDA_VISIBLE_DEVICES: ""}     # optional extra environment
///   timeout: 10m                        # optional; seconds or "90s", "10m", "1h"
///   grace_period: 5s                    # optional; SIGTERM → SIGKILL delay on stop (default 5s)
///   cooperative_stop: false             # optional; true: on stop only create $HPO_PRUNE_FILE, SIGKILL after grace_period
///   metric: accuracy                    # optional; the value to read (default accuracy)
///   persistent: false                   # optional; true: one long-lived process per worker slot serves many trials
///   max_trials_per_process: 0           # optional, persistent only; restart the process after N trials (0: never)
/// ```
/// With `persistent: true` the worker builds a ``PersistentCommandObjective`` around this one (docs/objective-protocol.md,
/// *Persistent processes*).
/// Each trial's program gets `{name}` placeholders filled (also `{trial_id}`, `{attempt}`), and the environment
/// `HPO_PARAMS` (the parameters as a JSON object), `HPO_PARAM_<NAME>` (upper-cased; other characters become `_`),
/// `HPO_TRIAL_ID`, `HPO_ATTEMPT`, `HPO_METRIC`, `HPO_RESULT` (a file path it may write its result to),
/// `HPO_WORKER_INDEX` and `HPO_SLOT`, `CUDA_VISIBLE_DEVICES` when the worker gives its slots devices (`--gpus`), and
/// `HPO_PRUNE_FILE` (a path that comes to exist, holding the reason, when the trial is stopped early: pruned,
/// cancelled, or the worker shuts down). It runs in its own process group; a stop request creates that file and
/// sends SIGTERM to the whole group, then SIGKILL after `grace_period`; with `cooperative_stop: true` it only creates
/// the file and SIGKILLs the group if the program has not exited after `grace_period`. Anything left in the group
/// when the program exits is killed too.
///
/// It reports with JSON lines on stdout: `{"hpo": {"step": 3, "accuracy": 0.91}}` for intermediate values and
/// `{"hpo": {"accuracy": 0.93, "loss": 0.2}}` (no `step`) for the result, or writes that object to `$HPO_RESULT`
/// (the file wins). Every other line of stdout and stderr goes to the worker's log. A non-zero exit, a signal,
/// no final metric, a non-finite metric or the timeout make a failed trial whose reason ends with stderr's tail.
public struct CommandObjective: Objective {
    /// Receives each line the program prints that is not a report: trial id, stream ("stdout"/"stderr"), text.
    public typealias OutputHandler = @Sendable (_ trialID: Int, _ stream: String, _ line: String) -> Void

    /// The option keys this objective accepts.
    public static let optionKeys: Set<String> = [
        "argv", "working_directory", "cwd", "env", "timeout", "grace_period", "metric", "cooperative_stop",
        "persistent", "max_trials_per_process",
    ]

    let template: CommandTemplate
    /// The program and its arguments, with `{name}` placeholders.
    public let argv: [String]
    /// Where the program runs (`nil`: the worker's working directory).
    public let workingDirectory: String?
    /// Extra environment variables.
    public let environment: [String: String]
    /// Longest a trial may run; `nil` for no limit.
    public let timeout: Duration?
    /// Time between SIGTERM and SIGKILL when stopping.
    public let gracePeriod: Duration
    /// The metric read from the reports.
    public let metric: String
    /// On a stop, only create `$HPO_PRUNE_FILE` and wait `gracePeriod` for the program to exit by itself (then
    /// SIGKILL the group), instead of sending SIGTERM at once. Default false.
    public let cooperativeStop: Bool
    /// One long-lived process per worker slot serves many trials (``PersistentCommandObjective``). Default false.
    public let persistent: Bool
    /// With `persistent`: the process is restarted after this many trials; 0 (the default) for never.
    public let maxTrialsPerProcess: Int
    let output: OutputHandler

    /// Builds the objective from study-file options (see the type's documentation).
    ///
    /// - Parameter output: where pass-through lines go; default: the `hpo.command` logger at info level.
    /// - Throws: `StudyFileError` naming the option, echoing the value and saying what to do.
    public init(options: [String: JSONValue], output: OutputHandler? = nil) throws(StudyFileError) {
        func fail(_ message: String) -> StudyFileError { StudyFileError(.objectiveInvalidOption, objective: "command", message) }
        let unknown = Set(options.keys).subtracting(Self.optionKeys)
        guard unknown.isEmpty else {
            throw fail("unknown option \(unknown.sorted().map { "\"\($0)\"" }.joined(separator: ", "))\(SpellingSuggestion.hint(for: unknown.sorted()[0], in: Self.optionKeys)); the options are \(Self.optionKeys.sorted().joined(separator: ", "))")
        }
        guard let elements = options["argv"]?.arrayValue, !elements.isEmpty else {
            throw fail("option \"argv\" must be a non-empty list like [python3, train.py, \"--lr={lr}\"], got \(options["argv"].map { "\($0)" } ?? "nothing")")
        }
        var argv: [String] = []
        for element in elements {
            switch element {
            case .string(let text): argv.append(text)
            case .number(let number): argv.append(Int(exactly: number).map(String.init) ?? "\(number)")
            default: throw fail("option \"argv\" must hold strings, got \(element) (\(element.kindDescription)); quote it")
            }
        }
        template = CommandTemplate(argv)
        self.argv = argv
        if options["working_directory"] != nil && options["cwd"] != nil {
            throw fail("give either \"working_directory\" or its alias \"cwd\", not both")
        }
        if let value = options["working_directory"] ?? options["cwd"] {
            guard let path = value.stringValue, !path.isEmpty else { throw fail("option \"working_directory\" must be a directory path, got \(value)") }
            workingDirectory = path
        } else {
            workingDirectory = nil
        }
        var environment: [String: String] = [:]
        if let value = options["env"] {
            guard let members = value.objectValue else { throw fail("option \"env\" must be a mapping of names to values, got \(value)") }
            for (name, member) in members {
                switch member {
                case .string(let text): environment[name] = text
                case .number(let number): environment[name] = Int(exactly: number).map(String.init) ?? "\(number)"
                case .bool(let flag): environment[name] = flag ? "true" : "false"
                default: throw fail("option \"env\": \(name) must be a string, number or boolean, got \(member)")
                }
            }
        }
        self.environment = environment
        if let value = options["timeout"] {
            guard let duration = StudyDuration.parse(option: value), duration > .zero else {
                throw fail("option \"timeout\" must be a duration > 0 (seconds, or \"90s\", \"10m\", \"1h\"), got \(value)")
            }
            timeout = duration
        } else {
            timeout = nil
        }
        if let value = options["grace_period"] {
            guard let duration = StudyDuration.parse(option: value), duration >= .zero else {
                throw fail("option \"grace_period\" must be a duration ≥ 0 (seconds, or \"5s\"), got \(value)")
            }
            gracePeriod = duration
        } else {
            gracePeriod = .seconds(5)
        }
        if let value = options["metric"] {
            guard let name = value.stringValue, !name.isEmpty else { throw fail("option \"metric\" must be a name like accuracy, got \(value)") }
            metric = name
        } else {
            metric = "accuracy"
        }
        if let value = options["cooperative_stop"] {
            guard case .bool(let flag) = value else {
                throw fail("option \"cooperative_stop\" must be true or false, got \(value)")
            }
            cooperativeStop = flag
        } else {
            cooperativeStop = false
        }
        (persistent, maxTrialsPerProcess) = try Self.persistence(options, template: template)
        self.output = output ?? Self.logOutput
    }

    /// Checks that every `{placeholder}` in argv is a parameter of `space` (or `trial_id`, `attempt`).
    ///
    /// - Throws: `StudyFileError` naming the placeholder and listing the parameters.
    public func validate(space: SearchSpace) throws(StudyFileError) {
        let names = Set(space.parameters.map(\.name))
        for placeholder in template.placeholders where !names.contains(placeholder) && !CommandTemplate.builtins.contains(placeholder) {
            throw StudyFileError(
                .objectiveParameterMismatch, objective: "command",
                "argv uses {\(placeholder)} but the space has no such parameter (it has: \(names.sorted().joined(separator: ", ")); also trial_id, attempt)")
        }
    }

    public func run(
        _ context: TrialContext,
        report: @escaping @Sendable (_ step: Int, _ value: Double, _ metrics: [String: Double]) -> Void
    ) -> ObjectiveOutcome {
        if let reason = context.stop.reason { return .stopped(reason: reason) }
        let argv: [String]
        do {
            argv = try template.render(parameters: context.parameters, trialID: context.trialID, attempt: context.attempt)
        } catch {
            return .failed(reason: error.description)
        }
        let scratch: String
        do {
            scratch = try Self.scratchDirectory(for: context)
        } catch {
            return .failed(reason: error.description)
        }
        defer { CommandObjective.removeScratchDirectory(scratch) }
        let resultPath = scratch + "/result.json"
        let (output, trialOutput) = (output, context.output)
        let stopFile = scratch + "/pruned"
        var session = CommandSession(
            metric: metric, trialID: context.trialID,
            output: { trialID, stream, line in
                output(trialID, stream, line)
                trialOutput?(stream, line)
            },
            report: report)
        return session.run(
            argv: argv, environment: trialEnvironment(context, resultPath: resultPath, stopFile: stopFile),
            workingDirectory: workingDirectory, timeout: timeout,
            stopping: CommandSession.Stopping(gracePeriod: gracePeriod, cooperative: cooperativeStop, file: stopFile),
            stop: context.stop, resultPath: resultPath)
    }

    /// The worker's environment, plus `env`, plus the `HPO_*` variables of this trial.
    func trialEnvironment(_ context: TrialContext, resultPath: String, stopFile: String) -> [String: String] {
        var variables = ProcessInfo.processInfo.environment.merging(environment) { _, extra in extra }
        variables.merge(trialVariables(context, resultPath: resultPath, stopFile: stopFile)) { _, trial in trial }
        variables["HPO_METRIC"] = metric
        context.placement.apply(to: &variables)
        return variables
    }

    /// The variables that differ from trial to trial: `HPO_PARAMS`, `HPO_PARAM_<NAME>`, `HPO_TRIAL_ID`,
    /// `HPO_ATTEMPT`, `HPO_RESULT` and `HPO_PRUNE_FILE`.
    func trialVariables(_ context: TrialContext, resultPath: String, stopFile: String) -> [String: String] {
        var variables: [String: String] = [:]
        variables["HPO_PARAMS"] = JSONValue.object(Self.json(context.parameters)).description
        for (name, value) in context.parameters {
            let upper = String(name.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
            variables["HPO_PARAM_\(upper)"] = "\(value)"
        }
        variables["HPO_TRIAL_ID"] = "\(context.trialID)"
        variables["HPO_ATTEMPT"] = "\(context.attempt)"
        variables["HPO_RESULT"] = resultPath
        variables["HPO_PRUNE_FILE"] = stopFile
        return variables
    }

    /// `parameters` as JSON values (numbers, text, booleans), as `HPO_PARAMS` and trial messages carry them.
    static func json(_ parameters: Assignment) -> [String: JSONValue] {
        parameters.mapValues { value -> JSONValue in
            switch value {
            case .int(let number): .number(Double(number))
            case .double(let number): .number(number)
            case .string(let text): .string(text)
            case .bool(let flag): .bool(flag)
            }
        }
    }

    /// The default output handler: each line to the `hpo.command` logger with `trial.id` and `stream` metadata.
    static let logOutput: OutputHandler = { trialID, stream, line in
        let logger = Logger(label: "hpo.command")
        logger.info("\(line)", metadata: ["trial.id": "\(trialID)", "stream": "\(stream)"])
    }
}
