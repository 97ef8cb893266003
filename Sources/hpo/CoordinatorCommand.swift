import ArgumentParser

/// `hpo coordinator` (not built yet).
struct CoordinatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "coordinator", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("hpo coordinator is not built yet")
    }
}
