import Foundation
import HPOOptimizer
import HPOSearchSpace
import HPOWire
import Yams
import HPORuntimeSupport

/// Reading a study file. Every key, with its default:
///
/// ```yaml
/// name: digits                      # required; letters, digits, _ - .
/// direction: maximize               # maximize | minimize
/// metric: accuracy                  # the value the objective reports
/// space:                            # required; name -> spec (declared order kept) or a list with name: keys
///   lr: {type: float, low: 1.0e-5, high: 1.0e-1, log: true}
/// optimizer:
///   kind: gp                        # gp | random
///   startup_trials: 10              # default min(10, max(4, d + 1))
///   acquisition: ucb                # logei | ucb (default: the optimizer's, ucb)
///   lie: best                       # best | mean | worst | min | max | fantasies (logei only)
///   seed: 0
///   batch_mode: async               # async | sync
///   warm_start: old.db              # another study's journal; default none
/// budget:                           # trials and/or wall_time required
///   trials: 100
///   max_failures: 20                # default max(10, trials / 5)
///   wall_time: 10m                  # 90s, 10m, 1h30m, 250ms, or seconds
///   trial_timeout: 30m              # per attempt; default none
/// objective:                        # required; kind plus the kind's own options
///   kind: mlp
/// transport:
///   bind: tcp://127.0.0.1:*         # the coordinator's endpoint
///   connect: tcp://head:5555        # the workers' endpoint, if different
/// heartbeat:
///   interval: 2s
///   liveness: 5
/// retries: 2
/// journal: digits.db                # default <name>.db next to the study file
/// pruner:                           # early stopping (StudyConfig+Pruner.swift); default kind: none
///   kind: asha                      # none | median | asha | hyperband
/// enqueue:                          # trials run before any proposal; default none
///   - {lr: 0.01}
/// ```
extension StudyConfig {
    /// The keys a study file may have at the top level.
    public static let topLevelKeys = [
        "name", "direction", "metric", "space", "optimizer", "budget", "objective", "transport", "heartbeat",
        "retries", "journal", "pruner", "enqueue",
    ]

    /// Objective kinds that report a named metric and take it as the option `metric` (the top-level `metric` is
    /// passed to them); the others report a single value whatever it is called.
    static let metricTakingKinds: Set<String> = ["command", "mlp"]

    /// Reads and checks the study file at `path`; relative paths inside it are resolved against its directory.
    ///
    /// - Parameters:
    ///   - path: the study file.
    ///   - objectiveChecks: how to check the objective's options against its kind and the space
    ///     (`ObjectiveFactory`); `nil` skips them (`hpo show`, which only needs the journal's path).
    ///   - localWorkers: the workers run on this machine (`hpo run`): the objective's relative paths (mlp `path`,
    ///     command `working_directory`/`cwd`) are made absolute against the study file's directory, and the files
    ///     are checked now (`ObjectiveFactory.checkFiles`, loading the mlp data once), so a wrong path is a study-file
    ///     error before anything starts. Without it (remote workers) paths are left to the workers.
    /// - Throws: ``StudyFileError`` naming the file, the key path and the line; also for a file that cannot be
    ///   opened, is larger than 1 MiB, or is not UTF-8 (naming the byte and line).
    public static func load(
        contentsOf path: String, objectiveChecks: (any StudyObjectiveChecks.Type)?, localWorkers: Bool = false
    ) throws(StudyFileError) -> StudyConfig {
        let text = try StudyFileText.read(path)
        let directory = (path as NSString).deletingLastPathComponent
        return try parse(
            yaml: text, file: path, directory: directory.isEmpty ? "." : directory, objectiveChecks: objectiveChecks,
            localWorkers: localWorkers)
    }

    /// Parses a study file's text.
    ///
    /// - Parameters:
    ///   - yaml: the file's contents.
    ///   - file: its path, for error messages.
    ///   - directory: where relative paths (the journal) are resolved.
    ///   - objectiveChecks: checks the objective's options against its kind and the space (`ObjectiveFactory`), so
    ///     that a bad option is reported with the file and line, as a study-file error, before anything starts;
    ///     `nil` skips them.
    ///   - localWorkers: resolve the objective's relative paths against `directory` and check its files now (see
    ///     ``load(contentsOf:objectiveChecks:localWorkers:)``).
    /// - Throws: ``StudyFileError`` naming the key path and the line, echoing the value and saying what to do.
    public static func parse(
        yaml: String, file: String? = nil, directory: String = ".", objectiveChecks: (any StudyObjectiveChecks.Type)?,
        localWorkers: Bool = false
    ) throws(StudyFileError) -> StudyConfig {
        guard yaml.utf8.count <= StudyFileText.maximumBytes else {
            throw StudyFileError(.fileTooLarge, 
                file: file, keyPath: "",
                "the study file is larger than \(StudyFileText.maximumText) (\(yaml.utf8.count) bytes); a study file holds settings only")
        }
        // Anchors, aliases, duplicate keys and deep nesting are refused on the event stream, before Yams builds
        // (and would expand) a tree.
        try YAMLEventScan.check(yaml, file: file)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw StudyFileError(.emptyFile, file: file, keyPath: "", "the study file is empty; start from examples/branin.yaml")
            }
            root = node
        } catch let error as StudyFileError {
            throw error
        } catch {
            throw StudyFileError(.yamlSyntax, file: file, keyPath: "", "not valid YAML: \(error)")
        }
        let top = try YAMLMappingReader(root, path: "", file: file, known: topLevelKeys)

        guard let name = try top.string("name") else {
            throw top.error("name", "is required; add name: <study name>", code: .missingKey)
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) }) else {
            throw top.error("name", "expected letters, digits, _, - or . only, got \"\(name)\"; it names the journal file")
        }
        let space = try parseSpace(try top.required("space", "mapping of parameters"), file: file)
        let budget = try parseBudget(top)
        let retries = try top.int("retries", minimum: 0, what: "an integer >= 0") ?? 2
        let journal = resolvedPath(try top.string("journal") ?? "\(name).db", directory: directory)
        let metric = try top.string("metric")
        var objective = try parseObjective(top)
        if let metric, metricTakingKinds.contains(objective.kind) {
            // The study's metric is what the objective must report: hand it over (it was silently ignored, so
            // `metric: validation_loss` with `direction: minimize` minimized the MLP's accuracy).
            if let own = objective.options["metric"], own != .string(metric) {
                throw top.error("metric", "is \"\(metric)\" but objective.metric is \(own); keep one of them")
            }
            objective.options["metric"] = .string(metric)
        }
        var dataSummary: String?
        if let objectiveChecks {
            do {
                try objectiveChecks.validate(objective, space: space)
            } catch {
                throw top.error("objective", "\(error)", code: (error as? StudyFileError)?.code ?? .objectiveInvalidOption)
            }
            if localWorkers {
                (objective, dataSummary) = try checkedLocalObjective(
                    objective, checks: objectiveChecks, root: root, file: file, directory: directory)
            }
        }
        var config = StudyConfig(
            name: name,
            direction: try top.choice("direction", Direction.self) ?? .maximize,
            metric: metric ?? objective.options["metric"]?.stringValue ?? "accuracy",
            space: space,
            optimizer: try parseOptimizer(top, directory: directory),
            budget: budget,
            objective: objective,
            transport: try parseTransport(top),
            heartbeat: try parseHeartbeat(top),
            retries: retries,
            journalPath: journal
        )
        config.dataSummary = dataSummary
        (config.pruner, config.prunedTrials) = try parsePruner(top, objective: objective)
        config.enqueue = try parseEnqueue(top, space: space)
        return config
    }

    /// `objective` with its relative paths made absolute against `directory`, once its files are checked.
    ///
    /// - Throws: ``StudyFileError`` at `objective.<option>` and that option's line, e.g.
    ///   `study.yaml:9: objective.path: no such file /data/iris.csv (…); check the path`.
    private static func checkedLocalObjective(
        _ objective: ObjectiveDescriptor, checks: any StudyObjectiveChecks.Type, root: Node, file: String?,
        directory: String
    ) throws(StudyFileError) -> (ObjectiveDescriptor, dataSummary: String?) {
        let base = FileChecks.absolute(directory)
        let resolved = checks.resolvingRelativePaths(objective, against: base)
        do throws(StudyFileError) {
            let summary = try checks.checkFiles(resolved, readsData: true, relativeTo: "the study file's directory \(base)")
            return (resolved, summary)
        } catch {
            var key = error.option ?? ""
            if key == "working_directory" && objective.options[key] == nil && objective.options["cwd"] != nil { key = "cwd" }
            var message = error.message
            if let original = objective.options[key]?.stringValue, original != resolved.options[key]?.stringValue {
                message += " (objective.\(key) is \(original), read relative to the study file's directory \(base))"
            }
            let node = root.mapping?["objective"]
            throw StudyFileError(error.code, 
                file: file, keyPath: key.isEmpty ? "objective" : "objective.\(key)",
                line: (node?.mapping?[key] ?? node)?.mark?.line, message)
        }
    }

    /// `path` with `~/` expanded and, when relative, resolved against the study file's `directory`.
    static func resolvedPath(_ path: String, directory: String) -> String {
        let expanded = path.hasPrefix("~") ? (path as NSString).expandingTildeInPath : path
        guard !expanded.hasPrefix("/"), directory != "." else { return expanded }
        return (directory as NSString).appendingPathComponent(expanded)
    }

    private static func parseSpace(_ node: Node, file: String?) throws(StudyFileError) -> SearchSpace {
        let space: SearchSpace
        do {
            space = try YAMLDecoder().decode(SearchSpace.self, from: node, userInfo: [SearchSpace.keepsMappingOrder: true])
        } catch let error as SearchSpaceError {
            let parameterNode = error.parameter.flatMap { name in node.mapping?[name] }
            throw StudyFileError(.invalidSpace, 
                file: file, keyPath: error.parameter.map { "space.\($0)" } ?? "space",
                line: (parameterNode ?? node).mark?.line, error.message
            )
        } catch {
            throw StudyFileError(.invalidSpace, file: file, keyPath: "space", line: node.mark?.line, "cannot read the search space: \(error)")
        }
        guard !space.parameters.isEmpty else {
            throw StudyFileError(.invalidSpace, file: file, keyPath: "space", line: node.mark?.line, "has no parameters; add at least one")
        }
        return space
    }

    private static func parseOptimizer(
        _ top: YAMLMappingReader, directory: String
    ) throws(StudyFileError) -> OptimizerSettings {
        var settings = OptimizerSettings()
        guard let section = try top.section(
            "optimizer", known: ["kind", "startup_trials", "acquisition", "lie", "seed", "batch_mode", "warm_start"]
        ) else { return settings }
        settings.warmStart = try section.string("warm_start").map { resolvedPath($0, directory: directory) }
        settings.kind = try section.choice("kind", OptimizerSettings.Kind.self) ?? settings.kind
        settings.startupTrials = try section.int("startup_trials", minimum: 1, what: "a positive integer")
        settings.acquisition = try section.choice("acquisition", OptimizerSettings.Acquisition.self) ?? settings.acquisition
        settings.lie = try section.choice("lie", OptimizerSettings.Lie.self) ?? settings.lie
        if settings.lie == .fantasies, settings.acquisition != .logei {
            throw section.error(
                "lie", "fantasies averages log expected improvement over draws of the running trials, so it needs "
                    + "acquisition: logei (with ucb the average is just the posterior mean); add acquisition: logei or "
                    + "pick another lie")
        }
        settings.seed = UInt64(try section.int("seed", minimum: 0, what: "an integer >= 0") ?? 0)
        settings.batchMode = try section.choice("batch_mode", OptimizerSettings.BatchMode.self) ?? settings.batchMode
        return settings
    }

    private static func parseBudget(_ top: YAMLMappingReader) throws(StudyFileError) -> BudgetSettings {
        guard let section = try top.section("budget", known: ["trials", "max_failures", "wall_time", "trial_timeout"]) else {
            throw top.error("budget", "is required; add budget: {trials: 50} or budget: {wall_time: 10m}", code: .missingKey)
        }
        let budget = BudgetSettings(
            trials: try section.int("trials", minimum: 1, what: "a positive integer"),
            maxFailures: try section.int("max_failures", minimum: 1, what: "a positive integer"),
            wallTime: try section.duration("wall_time"),
            trialTimeout: try section.duration("trial_timeout")
        )
        guard budget.trials != nil || budget.wallTime != nil else {
            throw top.error("budget", "needs trials or wall_time (or both); add trials: 50", code: .missingKey)
        }
        if let trialTimeout = budget.trialTimeout, trialTimeout <= .zero {
            throw section.error("trial_timeout", "must be longer than zero, e.g. trial_timeout: 30m")
        }
        if let wallTime = budget.wallTime, wallTime <= .zero {
            throw section.error("wall_time", "must be longer than 0; write e.g. 10m")
        }
        return budget
    }

    private static func parseObjective(_ top: YAMLMappingReader) throws(StudyFileError) -> ObjectiveDescriptor {
        let node = try top.required("objective", "mapping with kind")
        guard let mapping = node.mapping else {
            throw top.error("objective", "expected a mapping such as {kind: mlp, dataset: digits}, got \(YAMLMappingReader.describe(node))")
        }
        var kind: String?
        var options: [String: JSONValue] = [:]
        for (keyNode, value) in mapping {
            let key = keyNode.scalar?.string ?? "?"
            if key == "kind" {
                guard let scalar = value.scalar else {
                    throw StudyFileError(.invalidValue, 
                        file: top.file, keyPath: "objective.kind", line: value.mark?.line,
                        "expected a name (mlp, command, test-function or null), got \(YAMLMappingReader.describe(value))")
                }
                kind = scalar.string
            } else {
                options[key] = try YAMLMappingReader.json(value, path: "objective.\(key)", file: top.file)
            }
        }
        guard let kind, !kind.isEmpty else {
            throw StudyFileError(.missingKey, 
                file: top.file, keyPath: "objective.kind", line: node.mark?.line,
                "is required; add kind: mlp, command, test-function or null"
            )
        }
        // The command objective reads the study's metric from the program's reports unless told otherwise.
        if kind == "command", options["metric"] == nil, let metric = try top.string("metric") {
            options["metric"] = .string(metric)
        }
        return ObjectiveDescriptor(kind: kind, options: options)
    }

    private static func parseTransport(_ top: YAMLMappingReader) throws(StudyFileError) -> TransportSettings {
        var settings = TransportSettings()
        guard let section = try top.section("transport", known: ["bind", "connect"]) else { return settings }
        for key in ["bind", "connect"] {
            guard let endpoint = try section.string(key) else { continue }
            guard let range = endpoint.range(of: "://"), !endpoint[range.upperBound...].isEmpty else {
                throw section.error(key, "expected a ZeroMQ endpoint such as tcp://127.0.0.1:5555 or ipc:///tmp/hpo.sock, got \"\(endpoint)\"")
            }
            if let problem = EndpointSyntax.problem(endpoint, binding: key == "bind") {
                throw section.error(key, problem)
            }
            if key == "bind" { settings.bind = endpoint } else { settings.connect = endpoint }
        }
        return settings
    }

    private static func parseHeartbeat(_ top: YAMLMappingReader) throws(StudyFileError) -> HeartbeatSettings {
        var settings = HeartbeatSettings()
        guard let section = try top.section("heartbeat", known: ["interval", "liveness"]) else { return settings }
        if let interval = try section.duration("interval") {
            guard interval > .zero else { throw section.error("interval", "must be longer than 0; write e.g. 1s") }
            settings.interval = interval
        }
        settings.liveness = try section.int("liveness", minimum: 1, maximum: 1000, what: "an integer from 1 to 1000")
            ?? settings.liveness
        let timeout = settings.interval / .seconds(1) * Double(settings.liveness)
        guard timeout <= StudyDuration.maximumSeconds else {
            throw section.error(
                "liveness",
                "interval × liveness = \(timeout) s is longer than \(StudyDuration.maximumText); lower interval or liveness")
        }
        return settings
    }
}
