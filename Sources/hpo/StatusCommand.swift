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

    @OptionGroup var coordinator: CoordinatorClientOptions

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func validate() throws {
        try coordinator.validate(study: study)
    }

    func run() async throws {
        do {
            let request = try coordinator.request(study: study, defaultTimeout: .seconds(5))
            print(try StatusQuery.run(
                endpoint: request.endpoint, timeout: request.timeout, json: json, curveServerKey: request.curveServerKey,
                clientSecretKey: request.clientSecretKey))
        } catch let error as ValidationError {
            throw error   // usage: exit 64 with the message
        } catch {
            StudyCommandSupport.writeError(StudyCommandSupport.errorLine(error))
            throw ExitCode(1)
        }
    }
}
