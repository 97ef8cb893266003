import Foundation

/// Environment variables that make OpenBLAS fast in processes that train the built-in MLP.
///
/// OpenBLAS reads them once, when the process loads it, so they must be set by whoever starts the process. The kernel
/// set is not among them: every hpo process chooses its own at start (``BLASKernelSelection``).
/// Measured on the project's 2-vCPU AMD Zen 4 machines (`hpo-bench trainer`, 64-32 network on digits):
///
/// | setting | epoch, batch 32 | epoch, batch 128 |
/// |---|---|---|
/// | OpenBLAS defaults (2 threads, Haswell kernels) | 0.73 ms | 0.76 ms |
/// | `OPENBLAS_NUM_THREADS=1` (Haswell kernels) | 0.71 ms | 0.61 ms |
///
/// A variable the user set is never overridden.
public enum MLPComputeEnvironment {
    /// The variables to add to a trainer process's environment (a variable already set there is left alone:
    /// merge with `environment.merge(variables) { current, _ in current }`): `OPENBLAS_NUM_THREADS=1`, because the
    /// MLP's products are small and extra threads only synchronize.
    public static func variables() -> [String: String] {
        ["OPENBLAS_NUM_THREADS": "1"]
    }
}
