import Foundation
import HPOOptimizer
import HPOSearchSpace
import HPOWire
import Testing
import HPOObjectives
import HPOStudyFile

@Suite struct StudyConfigTests {
    /// The repository root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func example(_ name: String) -> String { root.appendingPathComponent("examples/\(name)").path }

    @Test func digitsExampleLoadsWithItsDefaults() throws {
        let path = Self.example("digits.yaml")
        let config = try StudyConfig.load(contentsOf: path)
        #expect(config.name == "digits")
        #expect(config.direction == .maximize)
        #expect(config.metric == "accuracy")
        #expect(config.space.names == ["lr", "batch_size"])
        #expect(config.space.parameters[0].kind == .float(low: 1e-5, high: 0.1, log: true))
        #expect(config.space.parameters[1].kind == .int(low: 32, high: 256))
        #expect(config.objective == ObjectiveDescriptor(kind: "mlp", options: [
            "dataset": .string("digits"), "hidden": .array([.number(64), .number(32)]), "epochs": .number(50),
            "metric": .string("accuracy"),   // the study's metric, handed to the objective
        ]))
        #expect(config.budget.trials == 50)
        #expect(config.budget.wallTime == .seconds(1800))
        #expect(config.budget.resolvedMaxFailures == 10)
        #expect(config.optimizer == StudyConfig.OptimizerSettings())
        #expect(config.optimizer.resolvedStartupTrials(dimensionCount: config.space.dimensionCount) == 4)   // d = 2
        #expect(config.transport == StudyConfig.TransportSettings(bind: "tcp://127.0.0.1:*", connect: nil))
        #expect(config.heartbeat.timeout == .seconds(10))
        #expect(config.retries == 2)
        #expect(config.journalPath == Self.root.appendingPathComponent("examples/digits.db").path)
    }

    @Test func braninAndCommandExamplesLoad() throws {
        let branin = try StudyConfig.load(contentsOf: Self.example("branin.yaml"))
        #expect(branin.direction == .minimize)
        #expect(branin.objective.kind == "test-function")
        #expect(branin.objective.options["duration"] == .number(0.05))
        #expect(branin.optimizer.startupTrials == 8)
        #expect(branin.optimizer.seed == 1)
        try ObjectiveFactory.validate(branin.objective, space: branin.space)

        let command = try StudyConfig.load(contentsOf: Self.example("command.yaml"))
        #expect(command.space.names == ["lr", "depth", "optimizer", "seed"])
        #expect(command.objective.options["argv"]?.arrayValue?.prefix(2) == [.string("sh"), .string("examples/toy-train.sh")])
        #expect(command.objective.options["timeout"] == .string("1m"))
        #expect(command.budget.maxFailures == 5)
        #expect(command.transport.connect == "tcp://127.0.0.1:5555")
    }

    @Test func everyKeyIsRead() throws {
        let config = try StudyConfig.parse(yaml: """
            name: full
            direction: Minimize
            metric: loss
            space:
              - {name: b, type: categorical, choices: [x, "y", 3, true, "5", "false"]}
              - {name: a, type: float, low: 0, high: 1, step: 0.25}
            optimizer: {kind: random, startup_trials: 4, acquisition: ucb, lie: mean, seed: 42, batch_mode: sync}
            budget: {trials: 200, max_failures: 3, wall_time: 1h30m}
            objective: {kind: "null", nested: {a: [1, 2.5, ~, "4"]}, flag: yes}
            transport: {bind: "ipc:///tmp/hpo-full.sock", connect: "tcp://head:5555"}
            heartbeat: {interval: 250ms, liveness: 5}
            retries: 0
            journal: /tmp/full.db
            """, directory: "/somewhere", checksObjective: false)   // options of "null" kept though it takes none
        #expect(config.direction == .minimize)
        #expect(config.metric == "loss")
        #expect(config.space.names == ["b", "a"])
        #expect(config.space.parameter(named: "b")?.kind == .categorical([.string("x"), .string("y"), .int(3), .bool(true), .string("5"), .string("false")]))
        #expect(config.optimizer == StudyConfig.OptimizerSettings(
            kind: .random, startupTrials: 4, acquisition: .ucb, lie: .mean, seed: 42, batchMode: .sync
        ))
        #expect(config.budget == StudyConfig.BudgetSettings(trials: 200, maxFailures: 3, wallTime: .seconds(5400)))
        #expect(config.objective.options["nested"] == .object(["a": .array([.number(1), .number(2.5), .null, .string("4")])]))
        #expect(config.objective.options["flag"] == .bool(true))
        #expect(config.transport == StudyConfig.TransportSettings(bind: "ipc:///tmp/hpo-full.sock", connect: "tcp://head:5555"))
        #expect(config.heartbeat == StudyConfig.HeartbeatSettings(interval: .milliseconds(250), liveness: 5))
        #expect(config.retries == 0)
        #expect(config.journalPath == "/tmp/full.db")
    }

    @Test func mappingOrderIsKeptAsDeclared() throws {
        let config = try StudyConfig.parse(yaml: """
            name: order
            space:
              zeta: {type: int, low: 0, high: 3}
              alpha: {type: fixed, value: 1}
              mid: {type: float, low: 0, high: 1}
            objective: {kind: "null"}
            budget: {trials: 1}
            """)
        #expect(config.space.names == ["zeta", "alpha", "mid"])
        #expect(config.journalPath == "order.db")
        #expect(StudyConfig.OptimizerSettings.defaultStartupTrials(dimensionCount: 12) == 10)
    }

    @Test func badFilesGiveErrorsNamingFileLineAndKeyPath() {
        #expect(StudyFileSample.error(StudyFileSample.minimal.replacingOccurrences(of: "trials: 10", with: "trials: ten"))
            == #"s.yaml:4: budget.trials: expected a positive integer, got "ten"; write a whole number such as 10"#)
        #expect(StudyFileSample.error(StudyFileSample.minimal.replacingOccurrences(of: "trials: 10", with: "trials: 0"))
            == "s.yaml:4: budget.trials: expected a positive integer, got 0; use a number >= 1")
        #expect(StudyFileSample.error(StudyFileSample.minimal.replacingOccurrences(of: "trials: 10", with: "trails: 10"))
            == "s.yaml:4: budget.trails: unknown key; did you mean trials? (known keys here: trials, max_failures, wall_time, trial_timeout)")
        #expect(StudyFileSample.error(StudyFileSample.minimal + "\nretires: 3")
            == "s.yaml:5: retires: unknown key; did you mean retries? (known keys here: name, direction, metric, space, optimizer, budget, objective, transport, heartbeat, retries, journal, pruner, enqueue)")
        #expect(StudyFileSample.error(StudyFileSample.minimal.replacingOccurrences(of: "low: 0,", with: "low: 0, log: true,"))
            == "s.yaml:2: space.x: log scale needs low > 0, got low=0.0; raise low or use log: false")
        #expect(StudyFileSample.error(StudyFileSample.minimal.replacingOccurrences(of: "type: float", with: "type: real"))
            == #"s.yaml:2: space.x: unknown type "real"; use float, int, categorical or fixed"#)
        #expect(StudyFileSample.error(StudyFileSample.minimal + "\ndirection: up")
            == #"s.yaml:5: direction: expected one of maximize, minimize, got "up""#)
        #expect(StudyFileSample.error(StudyFileSample.minimal.replacingOccurrences(of: "{trials: 10}", with: "{wall_time: soon}"))
            == #"s.yaml:4: budget.wall_time: expected a duration such as 90s, 10m or 1h30m, got "soon""#)
        #expect(StudyFileSample.error(StudyFileSample.minimal.replacingOccurrences(of: "{trials: 10}", with: "{max_failures: 2}"))
            == "s.yaml:4: budget: needs trials or wall_time (or both); add trials: 50")
        #expect(StudyFileSample.error(StudyFileSample.minimal.replacingOccurrences(of: "name: s", with: "name: my study"))
            == #"s.yaml:1: name: expected letters, digits, _, - or . only, got "my study"; it names the journal file"#)
        #expect(StudyFileSample.error(StudyFileSample.minimal.replacingOccurrences(of: "{kind: \"null\"}", with: "{function: branin}"))
            == "s.yaml:3: objective.kind: is required; add kind: mlp, command, test-function or null")
        #expect(StudyFileSample.error(StudyFileSample.minimal + "\ntransport: {bind: localhost}")
            == #"s.yaml:5: transport.bind: expected a ZeroMQ endpoint such as tcp://127.0.0.1:5555 or ipc:///tmp/hpo.sock, got "localhost""#)
        #expect(StudyFileSample.error(StudyFileSample.minimal + "\nheartbeat: {interval: 0s}")
            == "s.yaml:5: heartbeat.interval: must be longer than 0; write e.g. 1s")
        #expect(StudyFileSample.error(StudyFileSample.minimal + "\noptimizer: {kind: tpe}")
            == #"s.yaml:5: optimizer.kind: expected one of gp, random, got "tpe""#)
        #expect(StudyFileSample.error(StudyFileSample.minimal.replacingOccurrences(of: "budget: {trials: 10}", with: ""))
            == "s.yaml:1: budget: is required; add budget: {trials: 50} or budget: {wall_time: 10m}")
        #expect(StudyFileSample.error("name: [unclosed")
            == "s.yaml:2: not valid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 1) at column 1; check the indentation, colons and quotes there")
        #expect(StudyFileSample.error("") == "s.yaml: the study file is empty; start from examples/branin.yaml")
        #expect(StudyFileSample.error("- a\n- b") == #"s.yaml:1: expected a mapping of keys (name, direction, metric, space, optimizer, budget, objective, transport, heartbeat, retries, journal, pruner, enqueue), got a list"#)
    }

    @Test func aMissingFileSaysSo() {
        #expect(throws: StudyFileError.self) { try StudyConfig.load(contentsOf: "/nonexistent/study.yaml") }
    }

    @Test func durationsAcceptTheUsualSpellings() throws {
        for (text, seconds) in [("90s", 90.0), ("10m", 600), ("1h30m", 5400), ("250ms", 0.25), ("1.5s", 1.5), ("2", 2), ("1d", 86400)] {
            let config = try StudyConfig.parse(yaml: StudyFileSample.minimal + "\nheartbeat: {interval: \(text)}")
            #expect(config.heartbeat.interval == .seconds(seconds), "\(text)")
        }
    }
}

@Suite struct StudyConfigEvolutionTests {
    private let base = """
        name: s
        space:
          opt: {type: categorical, choices: [sgd, adam]}
          lr: {type: float, low: 0.001, high: 0.1, log: true}
          epochs: {type: fixed, value: 5}
        objective: {kind: null}
        budget: {trials: 3}
        """

    @Test func enqueueEntriesAreValidatedAndCanonical() throws {
        let config = try StudyConfig.parse(
            yaml: base + "\nenqueue:\n  - {opt: adam, lr: 0.01}\n  - {opt: sgd, lr: 1.0e-2}", file: "s.yaml", objectiveChecks: nil)
        #expect(config.enqueue == [
            ["opt": .string("adam"), "lr": .double(0.01), "epochs": .int(5)],
            ["opt": .string("sgd"), "lr": .double(0.01), "epochs": .int(5)],
        ])
    }

    @Test(arguments: [
        ("\nenqueue:\n  - {opt: rmsprop, lr: 0.01}", "s.yaml:9: enqueue[0].opt: rmsprop is not one of the choices [sgd, adam]; use one of them"),
        ("\nenqueue:\n  - {opt: sgd}", "s.yaml:9: enqueue[0].lr: is missing from the assignment; give it a value of type float"),
        ("\nenqueue:\n  - {opt: sgd, lr: 0.01, mom: 1}", "s.yaml:9: enqueue[0].mom: is not in the search space (parameters: opt, lr, epochs); remove it or add it to the space"),
        ("\nenqueue: {opt: sgd}", "s.yaml:8: enqueue: expected a list of parameter mappings such as [{lr: 0.01}], got a mapping"),
    ])
    func aBadEnqueueEntryNamesTheEntryAndParameter(extra: String, expected: String) {
        #expect(throws: StudyFileError.self) { try StudyConfig.parse(yaml: base + extra, file: "s.yaml", objectiveChecks: nil) }
        do {
            _ = try StudyConfig.parse(yaml: base + extra, file: "s.yaml", objectiveChecks: nil)
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test func warmStartIsResolvedAgainstTheStudyFilesDirectory() throws {
        let yaml = base + "\noptimizer: {warm_start: old/first.db}"
        let config = try StudyConfig.parse(yaml: yaml, file: "/exp/s.yaml", directory: "/exp", objectiveChecks: nil)
        #expect(config.optimizer.warmStart == "/exp/old/first.db")
        #expect(try StudyConfig.parse(yaml: base, objectiveChecks: nil).optimizer.warmStart == nil)
    }
}
