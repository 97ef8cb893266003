import ArgumentParser
import Foundation
import HPORuntime

/// `hpo status`: trials done, running, failed, the best so far and the live workers of a running study.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a running study's progress.",
        discussion: "Asks the coordinator at --connect for its status. Exit status 1 when it does not answer."
    )

    @Option(name: .long, help: "The coordinator's endpoint, e.g. tcp://head-node:5555.")
    var connect: String

    @Option(name: .long, help: "Seconds to wait for the answer.")
    var timeout: Double = 5

    @Option(name: .long, help: "The coordinator's CURVE public key, when it runs with --curve (this client's secret key: HPO_STATUS_SECRET_KEY, else a fresh pair).")
    var curveServerKey: String?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func validate() throws {
        guard connect.contains("://") else {
            throw ValidationError("--connect: expected an endpoint like tcp://host:5555, got \"\(connect)\"")
        }
        guard timeout > 0 else {
            throw ValidationError("--timeout: expected a positive number of seconds, got \(timeout)")
        }
    }

    func run() async throws {
        do {
            print(try StatusQuery.run(
                endpoint: connect, timeout: .milliseconds(Int(timeout * 1000)), json: json, curveServerKey: curveServerKey,
                clientSecretKey: ProcessInfo.processInfo.environment["HPO_STATUS_SECRET_KEY"]))
        } catch {
            StudyCommandSupport.writeError("error: \(error)")
            throw ExitCode(1)
        }
    }
}
