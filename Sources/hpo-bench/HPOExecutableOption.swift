import ArgumentParser
import Foundation

/// `--hpo PATH`, for the benchmarks that run `hpo` processes.
struct HPOExecutableOption: ParsableArguments {
    @Option(help: "The hpo binary (default: next to hpo-bench).")
    var hpo: String?

    /// The binary given, else the one next to hpo-bench.
    ///
    /// - Throws: `ValidationError` when that path is not an executable file: build hpo or pass `--hpo PATH`.
    func path() throws -> String {
        let binary = hpo ?? HPOExecutable.nextToBench
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ValidationError("cannot find the hpo binary at \(binary); build it or pass --hpo PATH")
        }
        return binary
    }
}
