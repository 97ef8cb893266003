import Foundation
import HPOOptimizer
import HPOSearchSpace
import HPOWire
import Testing
import HPOStudyFile
import HPOWorkerRuntime
import HPOObjectives

/// Regressions found by using hpo as a user would: inputs that used to crash the process or slip through.
@Suite struct StudyFileRegressionTests {
    /// `wall_time: 1e30` used to trap in `Duration.seconds` (Int128 overflow) and kill `hpo run`.
    @Test func anAbsurdlyLongDurationIsAnErrorNotACrash() {
        #expect(StudyFileSample.error(StudyFileSample.minimal.replacingOccurrences(of: "{trials: 10}", with: "{wall_time: 1e30}"))
            == #"s.yaml:4: budget.wall_time: expected at most 365d, got "1e30"; write a shorter duration such as 10m"#)
        #expect(StudyFileSample.error(StudyFileSample.minimal + "\nheartbeat: {interval: 99999999999999999999d}")?
            .contains("heartbeat.interval: expected at most 365d") == true)
        #expect(StudyFileSample.error(StudyFileSample.minimal.replacingOccurrences(of: "{trials: 10}", with: "{wall_time: 365d}")) == nil)
    }

    /// `interval × liveness` used to overflow `Duration` and trap when the coordinator started.
    @Test func livenessIsBoundedSoTheHeartbeatTimeoutFits() {
        #expect(StudyFileSample.error(StudyFileSample.minimal + "\nheartbeat: {liveness: 1000000000000000000}")
            == "s.yaml:5: heartbeat.liveness: expected an integer from 1 to 1000, got 1000000000000000000; use a number <= 1000")
        #expect(StudyFileSample.error(StudyFileSample.minimal + "\nheartbeat: {interval: 300d, liveness: 2}")?
            .contains("heartbeat.liveness: interval × liveness = 51840000.0 s is longer than 365d") == true)
        #expect(StudyFileSample.error(StudyFileSample.minimal + "\nheartbeat: {interval: 2s, liveness: 1000}") == nil)
    }

    /// The worker's `--coordinator-timeout 1e30` used to trap converting to Int64 milliseconds.
    @Test func workerDurationsAreBoundedAndShareTheStudyFileSpelling() {
        #expect(StudyDuration.parseIgnoringCaseAndSpaces("1e30") == nil)
        #expect(StudyDuration.parseIgnoringCaseAndSpaces("400d") == nil)
        #expect(StudyDuration.parseIgnoringCaseAndSpaces("1h30m") == .seconds(5400))
        #expect(StudyDuration.parseIgnoringCaseAndSpaces("1D") == .seconds(86400))
        #expect(StudyDuration.parseIgnoringCaseAndSpaces(" 250 ms") == .milliseconds(250))
        #expect(StudyDuration.parseIgnoringCaseAndSpaces("10000ms") == .seconds(10))
        #expect(StudyDuration.parseIgnoringCaseAndSpaces("-1s") == nil)
        #expect(StudyDuration.parseIgnoringCaseAndSpaces("soon") == nil)
    }

    /// A bad objective option used to pass the study-file check and fail later (exit 1, no file or line).
    @Test func objectiveOptionsAreCheckedWithTheStudyFile() {
        #expect(StudyFileSample.error(StudyFileSample.minimal.replacingOccurrences(of: #"{kind: "null"}"#, with: #"{kind: "null", foo: 1}"#))
            == #"s.yaml:3: objective: objective "null": takes no options, got foo; remove them"#)
        #expect(StudyFileSample.error(StudyFileSample.minimal.replacingOccurrences(of: #"{kind: "null"}"#, with: "{kind: quantum}"))?
            .hasPrefix(#"s.yaml:3: objective: objective "quantum": unknown objective kind"#) == true)
        #expect(StudyFileSample.error(StudyFileSample.minimal.replacingOccurrences(of: #"{kind: "null"}"#, with: "{kind: [mlp]}"))
            == #"s.yaml:3: objective.kind: expected a name (mlp, command, test-function or null), got a list"#)
        let unchecked = try? StudyConfig.parse(
            yaml: StudyFileSample.minimal.replacingOccurrences(of: #"{kind: "null"}"#, with: "{kind: quantum}"), checksObjective: false)
        #expect(unchecked?.objective.kind == "quantum")
    }

    /// `hpo worker --connect tcp://127.0.0.1:` used to pass validation and fail in zmq_connect with a bare EINVAL
    /// (exit 1); a bad transport endpoint in the study file failed only when the coordinator bound it.
    @Test func endpointsAreCheckedWithTheValueAndAnExample() {
        #expect(WorkerConfiguration.endpointProblem("tcp://head-node:5555") == nil)
        #expect(WorkerConfiguration.endpointProblem("tcp://[::1]:5555") == nil)
        #expect(WorkerConfiguration.endpointProblem("ipc:///tmp/hpo.sock") == nil)
        #expect(WorkerConfiguration.endpointProblem("tcp://127.0.0.1:")?.contains(#"the port must be a number 1–65535, got """#) == true)
        #expect(WorkerConfiguration.endpointProblem("tcp://127.0.0.1:99999")?.contains("got \"99999\"") == true)
        #expect(WorkerConfiguration.endpointProblem("tcp://127.0.0.1") == #""tcp://127.0.0.1" has no port; write it as tcp://head-node:5555 or ipc:///tmp/hpo.sock"#)
        #expect(WorkerConfiguration.endpointProblem("tcp://*:5555")?.contains("* is for binding") == true)
        #expect(WorkerConfiguration.endpointProblem("udp://host:5555")?.contains(#"unknown transport "udp""#) == true)
        #expect(WorkerConfiguration.endpointProblem("head-node:5555")?.hasPrefix("expected an endpoint") == true)
        #expect(StudyFileSample.error(StudyFileSample.minimal + "\ntransport: {bind: \"tcp://*:*\", connect: \"tcp://head:5555\"}") == nil)
        #expect(StudyFileSample.error(StudyFileSample.minimal + "\ntransport: {bind: \"tcp://0.0.0.0:70000\"}")?
            .hasPrefix(#"s.yaml:5: transport.bind: "tcp://0.0.0.0:70000": the port must be a number 0–65535 or *"#) == true)
        #expect(StudyFileSample.error(StudyFileSample.minimal + "\ntransport: {connect: \"tcp://*:5555\"}")?
            .contains("transport.connect: \"tcp://*:5555\": * is for binding") == true)
    }

    /// The top-level `metric` was read and then ignored: `metric: validation_loss` + `direction: minimize` with the MLP
    /// silently minimized validation accuracy, and a command objective kept looking for "accuracy".
    @Test func theStudysMetricReachesTheObjective() throws {
        let command = try StudyConfig.parse(yaml: """
            name: c
            direction: minimize
            metric: loss
            space: {lr: {type: float, low: 0.001, high: 1}}
            objective: {kind: command, argv: [train, "{lr}"]}
            budget: {trials: 3}
            """)
        #expect(command.objective.options["metric"] == .string("loss"))
        #expect(command.metric == "loss")
        #expect(try CommandObjective(options: command.objective.options).metric == "loss")

        let mlp = """
            name: m
            direction: minimize
            metric: validation_loss
            space: {lr: {type: float, low: 0.001, high: 1}}
            objective: {kind: mlp, dataset: digits}
            budget: {trials: 3}
            """
        #expect(StudyFileSample.error(mlp)?.hasPrefix(#"s.yaml:5: objective: objective "mlp": option "metric" is "validation_loss""#) == true,
                "\(StudyFileSample.error(mlp) ?? "accepted")")
        #expect(StudyFileSample.error(mlp.replacingOccurrences(of: "metric: validation_loss", with: "metric: accuracy")) == nil)

        let both = """
            name: c
            metric: loss
            space: {lr: {type: float, low: 0.001, high: 1}}
            objective: {kind: command, argv: [train, "{lr}"], metric: acc}
            budget: {trials: 3}
            """
        #expect(StudyFileSample.error(both) == #"s.yaml:2: metric: is "loss" but objective.metric is "acc"; keep one of them"#)
        // Only in the objective: that is the study's metric too.
        let own = try StudyConfig.parse(yaml: both.replacingOccurrences(of: "metric: loss\n", with: ""))
        #expect(own.metric == "acc")
        // Single-valued objectives take no metric option; the name is just a label for them.
        let branin = try StudyConfig.parse(yaml: StudyFileSample.minimal + "\nmetric: value")
        #expect(branin.objective.options["metric"] == nil)
    }

    /// `journal: ~/runs/x.db` was taken relative to the study file's directory (`<dir>/~/runs/x.db`).
    @Test func aJournalPathMayStartWithTheHomeDirectory() throws {
        let config = try StudyConfig.parse(yaml: StudyFileSample.minimal + "\njournal: ~/runs/x.db", directory: "/studies")
        #expect(config.journalPath == NSHomeDirectory() + "/runs/x.db")
        let relative = try StudyConfig.parse(yaml: StudyFileSample.minimal + "\njournal: runs/x.db", directory: "/studies")
        #expect(relative.journalPath == "/studies/runs/x.db")
    }
}
