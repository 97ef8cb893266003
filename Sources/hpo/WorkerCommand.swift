import ArgumentParser

/// `hpo worker` (not built yet).
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worker", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("hpo worker is not built yet")
    }
}
