import ArgumentParser

/// An `hpo-bench` subcommand. Its ArgumentParser configuration follows from its type: the one line `--help` shows
/// comes from `BenchCommand.benchmarks`, the table of every benchmark.
///
/// The name is the type's name without the `Benchmark` suffix, in lowercase words joined by hyphens (as ArgumentParser
/// names a command after its type): `EarlyStoppingBenchmark` is `hpo-bench early-stopping`.
protocol Benchmark: ParsableCommand {
    /// What `hpo-bench NAME --help` adds below the abstract; empty by default.
    static var discussion: String { get }
}

extension Benchmark {
    static var discussion: String { "" }

    static var configuration: CommandConfiguration {
        let abstract = BenchCommand.benchmarks.first { $0.command == Self.self }?.abstract ?? ""
        return CommandConfiguration(commandName: name, abstract: abstract, discussion: discussion)
    }

    /// The subcommand's name, e.g. `early-stopping` for `EarlyStoppingBenchmark`.
    static var name: String {
        let words = String(describing: Self.self).replacing(/Benchmark$/, with: "")
        return words.enumerated().map { index, character in
            character.isUppercase ? (index == 0 ? "" : "-") + character.lowercased() : String(character)
        }.joined()
    }
}
