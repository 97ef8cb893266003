import ArgumentParser

/// `hpo-bench dispatch` (not built yet).
struct DispatchBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dispatch", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("hpo-bench dispatch is not built yet")
    }
}
