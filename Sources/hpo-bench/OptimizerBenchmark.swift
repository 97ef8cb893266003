import ArgumentParser

/// `hpo-bench optimizer` (not built yet).
struct OptimizerBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "optimizer", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("hpo-bench optimizer is not built yet")
    }
}
