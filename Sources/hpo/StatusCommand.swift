import ArgumentParser

/// `hpo status` (not built yet).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("hpo status is not built yet")
    }
}
