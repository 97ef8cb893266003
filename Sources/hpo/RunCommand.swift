import ArgumentParser
import Foundation
import Logging
import HPOCoordinatorRuntime
import HPOLocalRun
import HPOOutput
import HPOWorkerRuntime
import HPOStudyFile

/// `hpo run`: the coordinator in this process plus N local `hpo worker` processes.
struct RunCommand: AsyncParsableCommand, StudyRunRole {
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

    // StudyRunRole: the help texts of the flags in `StudyRunOptions`.
    static let batchSizeHelp = "Sync batch mode: trials per batch (default: --workers × --slots)."
    static let cancelOnStopHelp = "On the first Ctrl-C/SIGTERM, cancel running trials instead of letting them finish."
    static let logLevelHelp = "Log level of the coordinator and the local workers (info shows the objectives' own lines): trace, debug, info, notice, warning, error, critical."
    static let insecureHelp = "Allow a transport.bind that is not loopback without CURVE (trusted networks only; logs a warning at every start)."

    @Argument(help: "The study file (YAML), e.g. examples/branin.yaml.")
    var study: String

    @Option(name: .long, help: "Number of local worker processes.")
    var workers: Int = 2

    @OptionGroup var runOptions: StudyRunOptions<RunCommand>

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
    }

    func run() async throws {
        // Standard error decides (a terminal gets the live view and warnings only), whatever stdout is (--json > file).
        let terminal = LiveDisplay.standardErrorIsTerminal
        let config = try StudyCommandSupport.loadStudy(study, localWorkers: true)
        let display = StudyCommandSupport.liveDisplay(config, disabled: runOptions.progress.hidesProgress)
        let logger = StudyCommandSupport.bootstrapLogging(
            level: runOptions.level(quietByDefault: terminal), label: "hpo.run", display: display)
        let workerArguments = try localWorkerArguments()
        let options = runOptions.sessionOptions(defaultBatchSize: workers * slots)
        // hpo run's workers connect over loopback; a wider transport.bind would expose the study without keys.
        try StudyCommandSupport.checkBindSecurity(config.transport.bind, curve: false, insecure: options.insecure, logger: logger)
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
                logLevel: runOptions.logLevel ?? (terminal && display != nil ? "error" : "warning"),
                trialLogs: TrialLogPath.directory(forJournal: config.journalPath), extraArguments: workerArguments)
        } catch {
            session.service.stop(immediately: true)
            _ = await session.service.finished()
            StudyCommandSupport.fail("\(error)")
        }
        logger.info("coordinator on \(endpoint) with \(workers) local workers")
        if let data = config.dataSummary, !runOptions.progress.quiet {
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
        throw runOptions.printResult(summary, config: config)
    }
}
