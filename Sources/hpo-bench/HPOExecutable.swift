import Foundation

/// The `hpo` binary the study benchmarks start: by default the one built next to this `hpo-bench`.
enum HPOExecutable {
    /// `hpo` in this executable's directory (`/proc/self/exe`), whether or not it exists.
    static var nextToBench: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("hpo").path
    }

    /// `hpo` next to this `hpo-bench`.
    ///
    /// - Throws: `BenchmarkFailure` when it is not there or not executable: build both (`swift build -c release`).
    static func built() throws -> String {
        let path = nextToBench
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw BenchmarkFailure("no hpo next to hpo-bench at \(path); build both (swift build -c release)")
        }
        return path
    }

    /// This process's environment with one BLAS thread (`OPENBLAS_NUM_THREADS=1`), for the `hpo` processes a
    /// benchmark starts: on this machine's 2 vCPUs more threads only add contention.
    static var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        return environment
    }
}
