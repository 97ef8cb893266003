import ArgumentParser
import Foundation
import HPOZeroMQ
import HPOOutput
import HPORuntimeSupport
import HPOStudyFile
import HPOWorkerRuntime
import HPOObjectives

/// `hpo status`: trials done, running, failed, the best so far and the live workers of a running study.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a running study's progress.",
        discussion: """
            Asks the coordinator at --connect (or --connect-file, or the study file's transport.connect, else its \
            transport.bind with a fixed port) for its status. Exit status 1 when it does not answer, 64 for usage.
            """
    )

    @Argument(help: "The study file (optional): its transport.connect, else transport.bind, is the endpoint.")
    var study: String?

    @Option(name: .long, help: "The coordinator's endpoint, e.g. tcp://head-node:5555.")
    var connect: String?

    @Option(name: .long, help: "Read the endpoint from this file (hpo coordinator --endpoint-file).")
    var connectFile: String?

    @Option(name: .long, help: "CURVE keys from `hpo keygen DIR`: verify the coordinator with DIR/coordinator.pub, authenticate with DIR/worker.key.")
    var keys: String?

    @Option(name: .long, help: "With --keys: the client secret key file (default DIR/worker.key).")
    var key: String?

    @Option(name: .long, help: "How long to wait for the answer (e.g. 5s, 500ms, 2m; a bare number is seconds).")
    var timeout: String = "5s"

    @Option(name: .long, parsing: .unconditional, help: "The coordinator's CURVE public key, when it runs with --curve (this client's secret key: HPO_STATUS_SECRET_KEY, else a fresh pair). Prefer --keys.")
    var curveServerKey: String?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func validate() throws {
        switch (connect, connectFile) {
        case (nil, nil) where study == nil:
            throw ValidationError("name the coordinator: --connect ENDPOINT, --connect-file PATH or the study file")
        case (.some, .some): throw ValidationError("--connect and --connect-file exclude each other")
        case (let endpoint?, nil):
            guard endpoint.contains("://") else {
                throw ValidationError("--connect: expected an endpoint like tcp://host:5555, got \"\(endpoint)\"")
            }
        default: break
        }
        if keys != nil && curveServerKey != nil {
            throw ValidationError("--keys and --curve-server-key exclude each other: --keys DIR reads DIR/coordinator.pub")
        }
        if key != nil && keys == nil {
            throw ValidationError("--key needs --keys DIR")
        }
        guard let wait = StudyDuration.parseIgnoringCaseAndSpaces(timeout), wait > .zero else {
            throw ValidationError("--timeout: expected a positive duration like 5s, 500ms or 2m, got \"\(timeout)\"")
        }
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

    func run() async throws {
        do {
            var serverKey = curveServerKey
            var secretKey = ProcessInfo.processInfo.environment["HPO_STATUS_SECRET_KEY"]
            if let keys {
                let directory = CurveKeyDirectory(keys)
                serverKey = try directory.coordinatorPublicKey()
                secretKey = try directory.clientKeyPair(file: key).secretKey
            }
            let endpoint: String
            if let connect {
                endpoint = connect
            } else if let connectFile {
                endpoint = try WorkerConfiguration.endpoint(fromFile: connectFile, waitingUpTo: .zero)
            } else {
                endpoint = try Self.endpoint(ofStudy: study ?? "")
            }
            print(try StatusQuery.run(
                endpoint: endpoint, timeout: StudyDuration.parseIgnoringCaseAndSpaces(timeout) ?? .seconds(5), json: json,
                curveServerKey: serverKey,
                clientSecretKey: secretKey))
        } catch let error as ValidationError {
            throw error   // usage: exit 64 with the message
        } catch {
            StudyCommandSupport.writeError(StudyCommandSupport.errorLine(error))
            throw ExitCode(1)
        }
    }
}
