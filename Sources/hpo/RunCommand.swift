import ArgumentParser

/// `hpo run` (not built yet).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("hpo run is not built yet")
    }
}
