import ArgumentParser
import Foundation
import HPOOutput
import HPORuntimeSupport
import HPOStudyFile
import HPOWorkerRuntime
import HPOZeroMQ
import HPOObjectives

/// How a client command (`hpo status`, `hpo enqueue`) reaches a running coordinator: its endpoint and CURVE keys.
struct CoordinatorClientOptions: ParsableArguments {
    @OptionGroup var connection: CoordinatorConnectionOptions<CoordinatorClientOptions>

    @Option(name: .long, help: "How long to wait for the answer (e.g. 5s, 500ms, 2m; a bare number is seconds; default 5s, 30s for enqueue).")
    var timeout: String?

    /// Checks the flags together; `study` is the command's optional study-file argument.
    func validate(study: String?) throws {
        try connection.validate(studyFile: study)
        if let timeout {
            guard let wait = StudyDuration.parseIgnoringCaseAndSpaces(timeout), wait > .zero else {
                throw ValidationError("--timeout: expected a positive duration like 5s, 500ms or 2m, got \"\(timeout)\"")
            }
        }
    }

    /// Whether the command line names the coordinator itself (`--connect` or `--connect-file`).
    var namesCoordinator: Bool { connection.namesCoordinator }

    /// The request settings: the endpoint from `--connect`, `--connect-file` or the study file, the CURVE keys, and
    /// `--timeout` (else `defaultTimeout`).
    ///
    /// - Throws: `ValidationError` when the study file's bind has no fixed port; a key or endpoint-file error.
    func request(study: String?, defaultTimeout: Duration) throws -> CoordinatorRequest {
        var serverKey = connection.curveServerKey
        var secretKey = ProcessInfo.processInfo.environment["HPO_STATUS_SECRET_KEY"]
        if let keys = connection.keys {
            let directory = CurveKeyDirectory(keys)
            serverKey = try directory.coordinatorPublicKey()
            secretKey = try directory.clientKeyPair(file: connection.key).secretKey
        }
        let endpoint: String
        if let connect = connection.connect {
            endpoint = connect
        } else if let connectFile = connection.connectFile {
            endpoint = try WorkerConfiguration.endpoint(fromFile: connectFile, waitingUpTo: .zero)
        } else {
            endpoint = try Self.endpoint(ofStudy: study ?? "")
        }
        return CoordinatorRequest(
            endpoint: endpoint, timeout: timeout.flatMap(StudyDuration.parseIgnoringCaseAndSpaces) ?? defaultTimeout,
            curveServerKey: serverKey, clientSecretKey: secretKey)
    }

    /// The endpoint a study file names for clients: `transport.connect`, else `transport.bind` when it has a fixed
    /// port (a wildcard host becomes 127.0.0.1).
    static func endpoint(ofStudy path: String) throws -> String {
        let config = try StudyConfig.load(contentsOf: path, checksObjective: false)
        if let connect = config.transport.connect { return connect }
        let bind = config.transport.bind
        guard !bind.hasSuffix(":*"), !bind.hasSuffix(":0") else {
            throw ValidationError(
                "\(path): transport.bind is \(bind), a port the system picks at start; pass --connect with the port "
                    + "the coordinator printed (\"listening on ...\"), or --connect-file with its --endpoint-file")
        }
        return bind.replacingOccurrences(of: "tcp://*:", with: "tcp://127.0.0.1:")
            .replacingOccurrences(of: "tcp://0.0.0.0:", with: "tcp://127.0.0.1:")
    }
}

/// The clients take the default help texts and usage errors.
extension CoordinatorClientOptions: CoordinatorConnectionRole {}
