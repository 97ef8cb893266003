import Foundation
import HPOMath

/// Environment variables that make OpenBLAS fast in processes that train the built-in MLP.
///
/// OpenBLAS reads them once, when the process loads it, so they must be set by whoever starts the
/// process (`hpo run` for its local workers; a cluster script for `hpo worker`), not by the process itself.
/// Measured on the project's 2-vCPU AMD Zen 4 machines (`hpo-bench trainer`, 64-32 network on digits):
///
/// | setting | epoch, batch 32 | epoch, batch 128 |
/// |---|---|---|
/// | OpenBLAS defaults (2 threads, Haswell kernels) | 0.73 ms | 0.76 ms |
/// | `OPENBLAS_NUM_THREADS=1` (Haswell kernels) | 0.71 ms | 0.61 ms |
/// | + `OPENBLAS_CORETYPE=SKYLAKEX` (AVX-512 kernels) | 0.42 ms | 0.36 ms |
///
/// A variable the user set is never overridden (the project machines preset `OPENBLAS_CORETYPE=Haswell`).
public enum MLPComputeEnvironment {
    /// The variables to add to a trainer process's environment (a variable already set there is left alone:
    /// merge with `environment.merge(variables) { current, _ in current }`).
    ///
    /// - `OPENBLAS_NUM_THREADS=1`: the MLP's products are small; extra threads only synchronize.
    /// - `OPENBLAS_CORETYPE=SKYLAKEX` when the CPU has AVX-512 (F, CD, BW, DQ and VL, read from
    ///   `/proc/cpuinfo`) but this OpenBLAS picked AVX2 kernels ("Haswell" or "Zen"): OpenBLAS before
    ///   0.3.22 does not know Zen 4 and falls back to AVX2, although the AVX-512 kernels run there.
    ///
    /// - Parameters:
    ///   - cpuInfo: the text of `/proc/cpuinfo` (read when `nil`; for tests).
    ///   - coreName: the OpenBLAS core in use (this process's when `nil`; for tests).
    public static func variables(cpuInfo: String? = nil, coreName: String? = nil) -> [String: String] {
        let coreName = coreName ?? Float32BLAS.coreName
        var variables = ["OPENBLAS_NUM_THREADS": "1"]
        let info = cpuInfo ?? (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let flags = Set(
            info.split(separator: "\n").first { $0.hasPrefix("flags") }?
                .split(separator: ":").last?.split(separator: " ").map(String.init) ?? [])
        let needed: Set<String> = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]
        if needed.isSubset(of: flags), ["haswell", "zen"].contains(coreName.lowercased()) {
            variables["OPENBLAS_CORETYPE"] = "SKYLAKEX"
        }
        return variables
    }
}
