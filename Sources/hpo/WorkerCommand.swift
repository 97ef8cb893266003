import ArgumentParser
import Dispatch
import Foundation
import Logging
import HPORuntimeSupport
import HPOStudyFile
import HPOObjectives
import HPOWorkerRuntime

/// `hpo worker`: runs trials for a coordinator until it says SHUTDOWN, goes silent, or refuses this worker.
///
/// Exit status: 0 after SHUTDOWN or SIGINT/SIGTERM, 1 on a socket error, 2 when the coordinator was silent for
/// `--coordinator-timeout` (or `--connect-file` never appeared), 3 when the coordinator refused the worker (protocol
/// version, objective kind), 4 when the coordinator serves another study than `--study`, 64 for usage.
struct WorkerCommand: AsyncParsableCommand, CoordinatorConnectionRole {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run trials for a coordinator.",
        discussion: """
            Connects to the coordinator (it may start later: the worker keeps retrying until \
            --coordinator-timeout), announces the objective kinds it can run, and evaluates the trials it is given. \
            With --keys DIR (from `hpo keygen DIR`) the connection is encrypted and the coordinator is verified \
            against DIR/coordinator.pub. Without keys, `command` trials are refused unless --objectives names \
            `command`. --study NAME makes the worker leave (exit 4) a coordinator of another study without running \
            anything. --slots N runs N trials at once; --gpus gives each slot its own device as CUDA_VISIBLE_DEVICES, \
            and every trial gets HPO_WORKER_INDEX and HPO_SLOT. Exit status: 0 shutdown or signal, 1 socket error, 2 coordinator silent, 3 refused, \
            4 wrong study, 64 usage.
            """
    )

    // CoordinatorConnectionRole: the help texts and usage errors of `CoordinatorConnectionOptions`.
    static let connectHelp = "The coordinator's endpoint, e.g. tcp://head-node:5555 or ipc:///tmp/hpo.sock."
    static let connectFileHelp = "Read the endpoint from this file (written by hpo coordinator --endpoint-file), waiting up to --coordinator-timeout for it."
    static let keyHelp = "With --keys: this worker's secret key file (default DIR/worker.key; more with hpo keygen --worker NAME DIR)."
    static let curveServerKeyHelp = "The coordinator's CURVE public key (40 Z85 characters; one starting with - works as --curve-server-key=KEY); enables encryption. Prefer --keys."
    static let missingCoordinator = "name the coordinator: --connect ENDPOINT or --connect-file PATH"
    static let keyWithoutKeys = "--key needs --keys DIR (the coordinator's public key is DIR/coordinator.pub)"

    static func endpointProblem(_ endpoint: String) -> String? { WorkerConfiguration.endpointProblem(endpoint) }

    @OptionGroup var connection: CoordinatorConnectionOptions<WorkerCommand>

    @Option(name: .long, help: "Only accept these objective kinds, comma-separated (e.g. mlp,test-function). Default: all; without keys all but command.")
    var objectives: String?

    @Option(name: .long, help: "The study this worker serves (its name): a coordinator of another study makes it exit 4 without running anything.")
    var study: String?

    @Option(name: .long, help: "A name for logs and the coordinator's worker list (default: the host name).")
    var name: String?

    @Option(name: .long, help: "Exit when the coordinator has been silent this long (e.g. 60s, 5m).")
    var coordinatorTimeout: String = "60s"

    @Option(name: .long, help: "Heartbeat interval (e.g. 2s, 250ms); default 2s, as the coordinator's.")
    var heartbeat: String = "2s"

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Option(name: .long, help: "Keep each trial's output and the worker's lines about it in DIR/trial-<id>.log (at most 10 MiB each; docs/trial-logs.md). Default: no files.")
    var trialLogs: String?

    @Option(
        name: .long,
        help: "Stop (as on SIGTERM) when this process, the one that started the worker, is gone (hpo run passes its pid).")
    var parentPid: Int32?

    @Option(name: .long, help: "Trials run at once, each on its own thread (1 to 64; default 1, or one per --gpus device).")
    var slots: Int?

    @Option(name: .long, help: "One GPU per slot, as CUDA_VISIBLE_DEVICES in each trial's environment: devices like 0,1,2,3, or auto (CUDA_VISIBLE_DEVICES, else nvidia-smi -L).")
    var gpus: String?

    @Option(name: .long, help: "This worker's index, given to trials as HPO_WORKER_INDEX (hpo run numbers its workers 0, 1, ...).")
    var workerIndex: Int = 0

    func validate() throws {
        guard let timeout = StudyDuration.parseIgnoringCaseAndSpaces(coordinatorTimeout), timeout > .zero else {
            throw ValidationError("--coordinator-timeout: expected a positive duration up to 365d like 60s or 5m, got \"\(coordinatorTimeout)\"")
        }
        guard let interval = StudyDuration.parseIgnoringCaseAndSpaces(heartbeat), interval > .zero else {
            throw ValidationError("--heartbeat: expected a positive duration up to 365d like 1s or 250ms, got \"\(heartbeat)\"")
        }
        guard interval < timeout else {
            throw ValidationError("--heartbeat (\(heartbeat)) must be shorter than --coordinator-timeout (\(coordinatorTimeout))")
        }
        try LogLevelArgument.validate(logLevel)
        try connection.validate(studyFile: nil)
        if let study, study.isEmpty {
            throw ValidationError("--study: give the study's name (the `name:` of its study file)")
        }
        if objectives != nil {
            _ = try Self.capabilities(objectives, authenticated: true)
        }
        if let slots, !(1...WorkerConfiguration.maxSlots).contains(slots) {
            throw ValidationError("--slots: expected 1 to \(WorkerConfiguration.maxSlots) trials at once, got \(slots)")
        }
        guard workerIndex >= 0 else {
            throw ValidationError("--worker-index: expected an index ≥ 0, got \(workerIndex)")
        }
    }

    /// The slot count and each slot's device, from `--slots` and `--gpus`.
    private func slotPlan() throws -> (slots: Int, devices: [String]) {
        guard let gpus else { return (slots ?? 1, []) }
        do {
            let devices = try GPUDevices.parse(
                gpus, environment: ProcessInfo.processInfo.environment, listGPUs: GPUDevices.nvidiaSMIList)
            let plan = try GPUDevices.assign(devices, slots: slots)
            guard plan.slots <= WorkerConfiguration.maxSlots else {
                throw WorkerError(.gpuCountMismatch, "--gpus lists \(devices.count) devices, more than the \(WorkerConfiguration.maxSlots) slots a worker may run; pass --slots")
            }
            return plan
        } catch {
            throw ValidationError(StudyCommandSupport.validationText(error))
        }
    }

    /// The kinds from `--objectives` (validated) for a connection that is or is not authenticated.
    private static func capabilities(_ text: String?, authenticated: Bool) throws -> (kinds: [String], warning: String?) {
        do {
            return try WorkerConfiguration.capabilities(
                requested: text.map { $0.split(separator: ",").map(String.init) }, authenticated: authenticated)
        } catch {
            throw ValidationError(StudyCommandSupport.validationText(error))
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "hpo.worker")
        logger.info("\(BLASKernelSelection.startLine)")

        let timeout = StudyDuration.parseIgnoringCaseAndSpaces(coordinatorTimeout) ?? .seconds(60)
        var endpoint = connection.connect ?? ""
        if let connectFile = connection.connectFile {
            do {
                endpoint = try WorkerConfiguration.endpoint(fromFile: connectFile, waitingUpTo: timeout)
            } catch {
                FileHandle.standardError.write(Data("hpo worker: \(StudyCommandSupport.errorLine(error))\n".utf8))
                throw ExitCode(2)
            }
            logger.info("read the coordinator's endpoint \(endpoint) from \(connectFile)")
        }
        var configuration = WorkerConfiguration(endpoint: endpoint, name: name ?? WorkerConfiguration.defaultName)
        configuration.coordinatorTimeout = timeout
        configuration.heartbeatInterval = StudyDuration.parseIgnoringCaseAndSpaces(heartbeat) ?? .seconds(2)
        configuration.study = study
        configuration.trialLogDirectory = trialLogs
        (configuration.slots, configuration.slotDevices) = try slotPlan()
        configuration.workerIndex = workerIndex
        if configuration.slots > 1 || !configuration.slotDevices.isEmpty {
            let devices = configuration.slotDevices.isEmpty ? "" : ", devices \(configuration.slotDevices.joined(separator: ","))"
            logger.info("running up to \(configuration.slots) trials at once\(devices)")
        }
        if let keys = connection.keys {
            do {
                try configuration.useKeyDirectory(CurveKeyDirectory(keys), keyFile: connection.key)
            } catch {
                throw ValidationError(StudyCommandSupport.validationText(error))
            }
            if let problem = CurveKeyFile.permissionProblem(connection.key ?? CurveKeyDirectory(keys).clientSecretKeyPath()) {
                logger.warning("\(problem)")
            }
        } else if let curveServerKey = connection.curveServerKey {
            let secret = ProcessInfo.processInfo.environment["HPO_WORKER_SECRET_KEY"]
            do {
                try configuration.useCurve(serverKey: curveServerKey, secretKey: secret)
            } catch {
                throw ValidationError(StudyCommandSupport.validationText(error))
            }
        }

        let (kinds, warning) = try Self.capabilities(objectives, authenticated: configuration.curveServerKey != nil)
        configuration.capabilities = kinds
        if let warning {
            // hpo run's own workers (--parent-pid, loopback) connect to the port their parent bound before starting
            // them: nobody else can hold it, so the warning would only be noise there.
            let ownParent = parentPid != nil && EndpointSecurity.isLocalOnly(configuration.endpoint)
            logger.log(level: ownParent ? .debug : .warning, "\(warning)")
        }
        let service = try WorkerService(configuration: configuration, logger: logger)
        let signals = Self.forwardSignals(to: service)
        let parentWatch = parentPid.map { Self.stopWhenGone(parent: $0, service: service) }
        let exit = await service.runOnDedicatedThread()
        signals.forEach { $0.cancel() }
        parentWatch?.cancel()
        if exit.exitCode != 0 {
            FileHandle.standardError.write(Data("hpo worker: \(exit)\n".utf8))
            throw ExitCode(exit.exitCode)
        }
    }

    /// SIGINT/SIGTERM stop the worker cleanly (the running trial reports `stopped`); a second one exits at once.
    private static func forwardSignals(to service: WorkerService) -> [any DispatchSourceSignal] {
        StopSignals.forward { count, number in
            if count > 1 { Foundation.exit(128 + number) }
            service.requestStop(reason: number == SIGINT ? "SIGINT" : "SIGTERM")
        }
    }
}

extension WorkerCommand {
    /// Stops the worker once `parent` is no longer its parent: the parent died, even by SIGKILL, and the worker was
    /// re-parented. Checked every 200 ms; `getppid` is one system call, so this costs nothing measurable.
    fileprivate static func stopWhenGone(parent: Int32, service: WorkerService) -> any DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now(), repeating: .milliseconds(200))
        timer.setEventHandler {
            if getppid() != parent {
                service.requestStop(reason: "the process that started this worker (pid \(parent)) is gone")
                timer.cancel()
            }
        }
        timer.resume()
        return timer
    }
}

