import ArgumentParser
import Dispatch
import Foundation
import Glibc
import Logging
import HPOCoordinatorRuntime
import HPOOutput
import HPORuntimeSupport
import HPOStudyFile
import HPOWorkerRuntime

/// `hpo coordinator`: runs a study's coordinator and waits for remote `hpo worker`s.
struct CoordinatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Run a study's coordinator for remote workers.",
        discussion: """
            Binds a ROUTER socket (--bind, else transport.bind of the study file) and runs the study with the \
            workers that connect (`hpo worker --connect tcp://this-host:5555`). SIGINT/SIGTERM stop dispatching \
            and wait for running trials (twice: stop at once); --resume continues from the journal. \
            A bind that is not loopback (or ipc://) needs CURVE: create keys once with `hpo keygen DIR` and pass \
            --keys DIR here and to every worker (SIGHUP re-reads DIR/allowed/); --insecure binds without it. \
            Exit status: 0 completed, 1 failed, 3 exhausted (the optimizer proposed nothing new before the budget was spent), 130 interrupted, 65 bad study file, objective files or journal (in use, or a --resume with a search space that does not contain the journal's), 64 usage (also: a non-loopback bind without --keys, --curve or --insecure; an unreadable key).
            """
    )

    @Argument(help: "The study file (YAML).")
    var study: String

    @Option(name: .long, help: "The endpoint to listen on, e.g. tcp://*:5555 (default: transport.bind).")
    var bind: String?

    @OptionGroup var journal: JournalStartOptions

    @Flag(name: .long, help: "Print the result as JSON on standard output.")
    var json = false

    @Option(name: .long, help: "Sync batch mode: trials per batch (default: the live workers' slots when a batch starts).")
    var batchSize: Int?

    @Flag(name: .long, help: "On the first SIGINT/SIGTERM, cancel running trials instead of letting them finish.")
    var cancelOnStop = false

    @Option(name: .long, help: "CURVE keys from `hpo keygen DIR`: serve with DIR/coordinator.key and admit the clients in DIR/allowed/*.pub (re-read on SIGHUP).")
    var keys: String?

    @Option(name: .long, help: "With --keys: the allow-list, a directory of .pub files or a file with one public key per line (default DIR/allowed).")
    var allow: String?

    @Flag(name: .long, help: "Allow a non-loopback --bind without CURVE (trusted networks only; a warning is logged at every start).")
    var insecure = false

    @Option(name: .long, help: "Write the endpoint workers should connect to into this file once listening (for hpo worker --connect-file); removed at exit.")
    var endpointFile: String?

    @Flag(name: .long, help: "Encrypt and authenticate with CURVE. The secret key comes from HPO_COORDINATOR_SECRET_KEY (else a fresh pair); the public key is printed for the workers' --curve-server-key. Prefer --keys.")
    var curve = false

    @Option(name: .long, parsing: .unconditionalSingleValue, help: "With --curve: admit only workers with this public key (repeatable; a key starting with - works as --curve-allow=KEY). Default: any worker that knows the server key.")
    var curveAllow: [String] = []

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical (default: info; warning with --quiet).")
    var logLevel: String?

    @OptionGroup var progress: ProgressOptions

    func validate() throws {
        if !curveAllow.isEmpty && !curve {
            throw ValidationError("--curve-allow needs --curve")
        }
        if keys != nil && curve {
            throw ValidationError("--keys and --curve exclude each other: --keys DIR reads the keys `hpo keygen DIR` wrote")
        }
        if allow != nil && keys == nil {
            throw ValidationError("--allow needs --keys DIR (the coordinator's own key is DIR/coordinator.key)")
        }
        if let bind, let problem = EndpointSyntax.problem(bind, binding: true) {
            throw ValidationError("--bind: \(problem)")
        }
        if let batchSize, batchSize < 1 {
            throw ValidationError("--batch-size: expected at least 1, got \(batchSize)")
        }
        try LogLevelArgument.validate(logLevel)
    }

    func run() async throws {
        let config = try StudyCommandSupport.loadStudy(study)
        let display = StudyCommandSupport.liveDisplay(config, disabled: progress.hidesProgress)
        let logger = StudyCommandSupport.bootstrapLogging(
            level: logLevel.flatMap(Logger.Level.init(rawValue:)) ?? (progress.quiet ? .warning : .info), label: "hpo.coordinator",
            display: display)
        var options = StudySessionOptions(
            resume: journal.resume, bind: bind, syncBatchSize: batchSize, cancelRunningOnStop: cancelOnStop)
        options.overwrite = journal.overwrite
        options.insecure = insecure
        if let keys {
            options.curve = try StudyCommandSupport.curve(keys: keys, allow: allow)
            if let problem = CurveKeyFile.permissionProblem(CurveKeyDirectory(keys).coordinatorSecretKeyPath) {
                logger.warning("\(problem)")
            }
        } else if curve {
            options.curve = try StudyCommandSupport.curve(allowing: curveAllow)
        }
        try StudyCommandSupport.checkBindSecurity(
            bind ?? config.transport.bind, curve: options.curve != nil, insecure: insecure, logger: logger)
        let session = try StudyCommandSupport.openSession(config, options: options, logger: logger)
        // Handlers first: a signal that arrives once "listening on" is printed must already stop the study cleanly.
        let signals = StudyCommandSupport.forwardStopSignals(to: session.service) {}
        let reload = keys == nil ? nil : Self.reloadOnHangup(session.service, logger: logger)
        let endpoint = try StudyCommandSupport.start(session)
        // The first line on standard error names the endpoint, for scripts and tests that wait for it.
        StudyCommandSupport.writeError("listening on \(endpoint)")
        let host = endpoint.contains("0.0.0.0") || endpoint.contains("[::]") ? WorkerConfiguration.defaultName : nil
        let connect = config.transport.connect
            ?? host.map { endpoint.replacingOccurrences(of: "0.0.0.0", with: $0).replacingOccurrences(of: "[::]", with: $0) }
            ?? endpoint
        if let endpointFile {
            try StudyCommandSupport.writeAtomically(connect, to: endpointFile)
        }
        let study = StudyCommandSupport.shellQuoted(config.name)
        if let keys {
            let count = session.service.allowedKeyCount ?? 0
            logger.info("CURVE on, \(count) client key(s) allowed from \(allow ?? CurveKeyDirectory(keys).allowedPath); SIGHUP re-reads it")
            logger.info("start workers with: hpo worker --connect \(connect) --keys \(StudyCommandSupport.shellQuoted(keys)) --study \(study)")
        } else if let key = options.curve?.publicKey {
            StudyCommandSupport.writeError("CURVE public key: \(key)")
            logger.info("start workers with: hpo worker --connect \(connect) --curve-server-key \(StudyCommandSupport.shellQuoted(key)) --study \(study)")
        } else {
            logger.info("start workers with: hpo worker --connect \(connect) --study \(study)")
        }
        let progress = display?.run { session.service.snapshot }
        let summary = await session.service.finished()
        progress?.cancel()
        display?.finish()
        signals.forEach { $0.cancel() }
        reload?.cancel()
        if let endpointFile {
            try? FileManager.default.removeItem(atPath: endpointFile)
        }
        print(StudyReport.render(summary, config: config, json: json, resumeCommand: ShellQuoting.resuming(CommandLine.arguments)))
        throw ExitCode(StudyReport.exitCode(summary))
    }
}

extension CoordinatorCommand {
    /// SIGHUP re-reads the allow-list and logs how many keys it holds (or why it kept the previous one).
    fileprivate static func reloadOnHangup(_ service: CoordinatorService, logger: Logger) -> any DispatchSourceSignal {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler {
            do {
                let count = try service.reloadAllowList()
                logger.notice("SIGHUP: allow-list reloaded, \(count) client key(s) allowed")
            } catch {
                logger.error("SIGHUP: \(error)")
            }
        }
        source.resume()
        return source
    }
}
