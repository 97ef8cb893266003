import ArgumentParser

/// `hpo show` (not built yet).
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("hpo show is not built yet")
    }
}
