import Foundation

/// One cell of `hpo-bench optimizer`'s regret table: an optimizer on a test function over seeds 0..<seeds.
struct RegretCell: Codable, Sendable, Hashable {
    /// The function label as given to `--functions`, e.g. `levy10`.
    var function: String
    /// The evaluation budget per run.
    var budget: Int
    /// The optimizer name as given to `--optimizers`, e.g. `gp`.
    var optimizer: String
    /// The number of seeds (runs) summarized.
    var seeds: Int
    /// Median final log10 simple regret.
    var median: Double
    /// Lower and upper quartile of the final log10 simple regret.
    var lowerQuartile: Double
    var upperQuartile: Double
    /// Median CPU seconds per run.
    var seconds: Double
    /// The BLAS kernel set the run used, as `BenchMachine` reports it.
    var kernels: String
}

extension RegretCell {
    /// Writes `cells` as a JSON array to `path` (the `--kernels` parent reads its children's cells this way).
    static func write(_ cells: [RegretCell], to path: String) throws {
        try JSONEncoder().encode(cells).write(to: URL(fileURLWithPath: path))
    }

    static func read(from path: String) throws -> [RegretCell] {
        try JSONDecoder().decode([RegretCell].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
