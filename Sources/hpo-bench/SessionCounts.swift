import Foundation

/// What the benchmarks read of the `hpo.session` document (docs/json.md) that `hpo run --json` and
/// `hpo coordinator --json` print when a study ends.
struct SessionCounts: Decodable {
    /// `completed`, `failed`, `interrupted` or `exhausted`.
    var state: String
    var completed, failed, pruned: Int
    /// Steps (epochs) trained by all trials together.
    var stepsTrained: Int

    /// The document in the file at `path`; nil when the file is missing or holds no such document.
    static func read(_ path: String) -> SessionCounts? {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return (try? Data(contentsOf: URL(fileURLWithPath: path))).flatMap { try? decoder.decode(Self.self, from: $0) }
    }
}
