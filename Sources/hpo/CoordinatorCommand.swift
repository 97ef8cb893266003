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
struct CoordinatorCommand: AsyncParsableCommand, StudyRunRole {
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

    @OptionGroup var runOptions: StudyRunOptions<CoordinatorCommand>

    @OptionGroup var curveOptions: CoordinatorCurveOptions

    @Option(name: .long, help: "Write the endpoint workers should connect to into this file once listening (for hpo worker --connect-file); removed at exit.")
    var endpointFile: String?

    func validate() throws {
        if let bind, let problem = EndpointSyntax.problem(bind, binding: true) {
            throw ValidationError("--bind: \(problem)")
        }
    }

    func run() async throws {
        let config = try StudyCommandSupport.loadStudy(study)
        let display = StudyCommandSupport.liveDisplay(config, disabled: runOptions.progress.hidesProgress)
        let logger = StudyCommandSupport.bootstrapLogging(level: runOptions.level(), label: "hpo.coordinator", display: display)
        var options = runOptions.sessionOptions(bind: bind)
        options.curve = try curveOptions.coordinatorKeys(logger: logger)
        try StudyCommandSupport.checkBindSecurity(
            bind ?? config.transport.bind, curve: options.curve != nil, insecure: options.insecure, logger: logger)
        let session = try StudyCommandSupport.openSession(config, options: options, logger: logger)
        // Handlers first: a signal that arrives once "listening on" is printed must already stop the study cleanly.
        let signals = StudyCommandSupport.forwardStopSignals(to: session.service) {}
        let reload = curveOptions.keys == nil ? nil : Self.reloadOnHangup(session.service, logger: logger)
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
        if let keys = curveOptions.keys {
            let count = session.service.allowedKeyCount ?? 0
            logger.info("CURVE on, \(count) client key(s) allowed from \(curveOptions.allow ?? CurveKeyDirectory(keys).allowedPath); SIGHUP re-reads it")
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
        throw runOptions.printResult(summary, config: config)
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
