import ArgumentParser
import Foundation
import Logging
import HPOCoordinatorRuntime
import HPOLocalRun
import HPOOutput
import HPOWorkerRuntime
import HPOStudyFile

/// `hpo run`: the coordinator in this process plus N local `hpo worker` processes.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a study locally: the coordinator plus N worker processes.",
        discussion: """
            Starts the coordinator in this process and N `hpo worker` child processes connected to it over \
            loopback TCP, runs the study to its budget, stops every worker and prints the best trial. On a terminal \
            a live view is redrawn on standard error (--no-progress hides it); otherwise plain log lines and a progress \
            line every 10 s (--quiet: neither, and warnings and errors only). A worker that dies (killed, crashed) is replaced \
            by a new one, at most 3 × --workers times; then the study fails. Ctrl-C stops dispatching and waits for running \
            trials (a second Ctrl-C stops at once); the journal then resumes with --resume. \
            A transport.bind that is not loopback needs --insecure (hpo run has no CURVE; use hpo coordinator --keys). \
            Exit status: 0 completed, 1 failed, 3 exhausted (the optimizer proposed nothing new before the budget was spent), 130 interrupted, 65 bad study file, objective files or journal (in use, or a --resume with a search space that does not contain the journal's), 64 usage.
            """
    )

    @Argument(help: "The study file (YAML), e.g. examples/branin.yaml.")
    var study: String

    @Option(name: .long, help: "Number of local worker processes.")
    var workers: Int = 2

    @Flag(name: .long, help: "Print the result as JSON on standard output.")
    var json = false

    @OptionGroup var journal: JournalStartOptions

    @Option(name: .long, help: "Sync batch mode: trials per batch (default: --workers × --slots).")
    var batchSize: Int?

    @Flag(name: .long, help: "On the first Ctrl-C/SIGTERM, cancel running trials instead of letting them finish.")
    var cancelOnStop = false

    @Option(name: .long, help: "Log level of the coordinator and the local workers (info shows the objectives' own lines): trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    @OptionGroup var progress: ProgressOptions

    @Flag(name: .long, help: "Allow a transport.bind that is not loopback without CURVE (trusted networks only; logs a warning at every start).")
    var insecure = false

    @Option(name: .long, help: "Trials each local worker runs at once (1 to 64; default 1).")
    var slots: Int = 1

    @Option(name: .long, help: "GPUs for the local workers, one per slot: worker i gets devices i×slots ..< (i+1)×slots as CUDA_VISIBLE_DEVICES (e.g. --workers 4 --gpus 0,1,2,3), or auto (CUDA_VISIBLE_DEVICES, else nvidia-smi -L).")
    var gpus: String?

    func validate() throws {
        guard workers >= 1 else {
            throw ValidationError("--workers: expected at least 1, got \(workers)")
        }
        guard (1...WorkerConfiguration.maxSlots).contains(slots) else {
            throw ValidationError("--slots: expected 1 to \(WorkerConfiguration.maxSlots) trials at once per worker, got \(slots)")
        }
        if let batchSize, batchSize < 1 {
            throw ValidationError("--batch-size: expected at least 1, got \(batchSize)")
        }
        try LogLevelArgument.validate(logLevel)
    }

    func run() async throws {
        // Standard error decides (a terminal gets the live view and warnings only), whatever stdout is (--json > file).
        let terminal = LiveDisplay.standardErrorIsTerminal
        let config = try StudyCommandSupport.loadStudy(study, localWorkers: true)
        let display = StudyCommandSupport.liveDisplay(config, disabled: progress.hidesProgress)
        let logger = StudyCommandSupport.bootstrapLogging(
            level: logLevel.flatMap(Logger.Level.init(rawValue:)) ?? (terminal || progress.quiet ? .warning : .info), label: "hpo.run",
            display: display)
        let workerArguments = try localWorkerArguments()
        var options = StudySessionOptions(
            resume: journal.resume, syncBatchSize: batchSize ?? workers * slots, cancelRunningOnStop: cancelOnStop)
        options.overwrite = journal.overwrite
        options.insecure = insecure
        // hpo run's workers connect over loopback; a wider transport.bind would expose the study without keys.
        try StudyCommandSupport.checkBindSecurity(config.transport.bind, curve: false, insecure: insecure, logger: logger)
        let session = try StudyCommandSupport.openSession(config, options: options, logger: logger)
        let endpoint = try StudyCommandSupport.start(session)
        let timeout = max(.seconds(10), config.heartbeat.timeout * 3)
        let pool: LocalWorkerPool
        do {
            pool = try LocalWorkerPool(
                count: workers, executable: StudyCommandSupport.executablePath, endpoint: endpoint,
                heartbeat: config.heartbeat.interval, coordinatorTimeout: timeout,
                // --log-level reaches the workers and so their objectives' lines (docs/coordinator.md).
                // Under the live view the workers' warnings would cut through it; the coordinator logs failures itself.
                logLevel: logLevel ?? (terminal && display != nil ? "error" : "warning"),
                trialLogs: TrialLogPath.directory(forJournal: config.journalPath), extraArguments: workerArguments)
        } catch {
            session.service.stop(immediately: true)
            _ = await session.service.finished()
            StudyCommandSupport.fail("\(error)")
        }
        logger.info("coordinator on \(endpoint) with \(workers) local workers")
        if let data = config.dataSummary, !progress.quiet {
            // Shown on a terminal too: the user checks that the data was read as they meant (docs/objective-protocol.md).
            StudyCommandSupport.writeError("data: \(data)")
        }
        let signals = StudyCommandSupport.forwardStopSignals(to: session.service) { pool.signalRunning(SIGTERM) }
        let progress = display?.run { session.service.snapshot }
        let supervisor = LocalWorkerSupervisor(pool: pool, service: session.service, maxRestarts: 3 * workers, logger: logger)
        var summary = await session.service.finished()
        supervisor.cancel()
        if let failure = supervisor.failure {
            summary = StudyReport.failing(summary, because: failure)
        }
        progress?.cancel()
        display?.finish()
        await pool.stop(grace: .seconds(5))
        signals.forEach { $0.cancel() }
        print(StudyReport.render(summary, config: config, json: json, resumeCommand: ShellQuoting.resuming(CommandLine.arguments)))
        throw ExitCode(StudyReport.exitCode(summary))
    }
}
