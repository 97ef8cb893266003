import ArgumentParser

/// `hpo-bench trainer` (not built yet).
struct TrainerBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "trainer", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("hpo-bench trainer is not built yet")
    }
}
