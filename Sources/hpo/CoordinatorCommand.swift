import ArgumentParser
import Foundation
import HPORuntime
import Logging

/// `hpo coordinator`: runs a study's coordinator and waits for remote `hpo worker`s.
struct CoordinatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Run a study's coordinator for remote workers.",
        discussion: """
            Binds a ROUTER socket (--bind, else transport.bind of the study file) and runs the study with the \
            workers that connect (`hpo worker --connect tcp://this-host:5555`). SIGINT/SIGTERM stop dispatching \
            and wait for running trials (twice: stop at once); --resume continues from the journal. \
            Exit status: 0 completed, 1 failed, 3 exhausted (the optimizer proposed nothing new before the budget was spent), 130 interrupted, 65 bad study file, objective files or journal (in use, or a --resume with another search space), 64 usage.
            """
    )

    @Argument(help: "The study file (YAML).")
    var study: String

    @Option(name: .long, help: "The endpoint to listen on, e.g. tcp://*:5555 (default: transport.bind).")
    var bind: String?

    @Flag(name: .long, help: "Continue the study recorded in the journal.")
    var resume = false

    @Flag(name: .long, help: "Delete the study's existing journal and start afresh.")
    var overwrite = false

    @Flag(name: .long, help: "Print the result as JSON on standard output.")
    var json = false

    @Option(name: .long, help: "Sync batch mode: trials per batch (default: the live workers when a batch starts).")
    var batchSize: Int?

    @Flag(name: .long, help: "On the first SIGINT/SIGTERM, cancel running trials instead of letting them finish.")
    var cancelOnStop = false

    @Flag(name: .long, help: "Encrypt and authenticate with CURVE. The secret key comes from HPO_COORDINATOR_SECRET_KEY (else a fresh pair); the public key is printed for the workers' --curve-server-key.")
    var curve = false

    @Option(name: .long, help: "With --curve: admit only workers with this public key (repeatable). Default: any worker that knows the server key.")
    var curveAllow: [String] = []

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func validate() throws {
        if !curveAllow.isEmpty && !curve {
            throw ValidationError("--curve-allow needs --curve")
        }
        if resume && overwrite {
            throw ValidationError("--resume and --overwrite exclude each other: continue the journal or replace it")
        }
        if let bind, let problem = EndpointSyntax.problem(bind, binding: true) {
            throw ValidationError("--bind: \(problem)")
        }
        if let batchSize, batchSize < 1 {
            throw ValidationError("--batch-size: expected at least 1, got \(batchSize)")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level: expected one of trace, debug, info, notice, warning, error, critical, got \"\(logLevel)\"")
        }
    }

    func run() async throws {
        let logger = StudyCommandSupport.bootstrapLogging(level: Logger.Level(rawValue: logLevel) ?? .info, label: "hpo.coordinator")
        let config = try StudyCommandSupport.loadStudy(study)
        var options = StudySessionOptions(
            resume: resume, bind: bind, syncBatchSize: batchSize, cancelRunningOnStop: cancelOnStop)
        options.overwrite = overwrite
        if curve {
            options.curve = try StudyCommandSupport.curve(allowing: curveAllow)
        }
        let session = try StudyCommandSupport.openSession(config, options: options, logger: logger)
        let endpoint = try StudyCommandSupport.start(session)
        // The first line on standard error names the endpoint, for scripts and tests that wait for it.
        StudyCommandSupport.writeError("listening on \(endpoint)")
        let connect = config.transport.connect ?? endpoint.replacingOccurrences(of: "0.0.0.0", with: "<this-host>")
        if let key = options.curve?.publicKey {
            StudyCommandSupport.writeError("CURVE public key: \(key)")
            logger.info("start workers with: hpo worker --connect \(connect) --curve-server-key \(key)")
        } else {
            logger.info("start workers with: hpo worker --connect \(connect)")
        }
        let signals = StudyCommandSupport.forwardStopSignals(to: session.service) {}
        let summary = await session.service.finished()
        signals.forEach { $0.cancel() }
        print(StudyReport.render(summary, config: config, json: json, resumeCommand: ShellQuoting.resuming(CommandLine.arguments)))
        throw ExitCode(StudyReport.exitCode(summary))
    }
}
