import ArgumentParser
import Foundation
import HPORuntime
import HPOZeroMQ

/// `hpo status`: trials done, running, failed, the best so far and the live workers of a running study.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a running study's progress.",
        discussion: "Asks the coordinator at --connect for its status. Exit status 1 when it does not answer."
    )

    @Option(name: .long, help: "The coordinator's endpoint, e.g. tcp://head-node:5555.")
    var connect: String?

    @Option(name: .long, help: "Read the endpoint from this file (hpo coordinator --endpoint-file).")
    var connectFile: String?

    @Option(name: .long, help: "CURVE keys from `hpo keygen DIR`: verify the coordinator with DIR/coordinator.pub, authenticate with DIR/worker.key.")
    var keys: String?

    @Option(name: .long, help: "With --keys: the client secret key file (default DIR/worker.key).")
    var key: String?

    @Option(name: .long, help: "Seconds to wait for the answer.")
    var timeout: Double = 5

    @Option(name: .long, parsing: .unconditional, help: "The coordinator's CURVE public key, when it runs with --curve (this client's secret key: HPO_STATUS_SECRET_KEY, else a fresh pair). Prefer --keys.")
    var curveServerKey: String?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func validate() throws {
        switch (connect, connectFile) {
        case (nil, nil): throw ValidationError("name the coordinator: --connect ENDPOINT or --connect-file PATH")
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
        guard timeout > 0 else {
            throw ValidationError("--timeout: expected a positive number of seconds, got \(timeout)")
        }
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
            let endpoint = try connect ?? WorkerConfiguration.endpoint(fromFile: connectFile ?? "", waitingUpTo: .zero)
            print(try StatusQuery.run(
                endpoint: endpoint, timeout: .milliseconds(Int(timeout * 1000)), json: json, curveServerKey: serverKey,
                clientSecretKey: secretKey))
        } catch {
            StudyCommandSupport.writeError("error: \(error)")
            throw ExitCode(1)
        }
    }
}
