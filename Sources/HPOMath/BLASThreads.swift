import CLAPACK

/// The number of threads OpenBLAS uses for the GP's BLAS/LAPACK calls, process-wide.
///
/// On this project's 2-vCPU machines two BLAS threads are no faster than one and compete with workers, so the
/// coordinator and workers should run with one (the same as `OPENBLAS_NUM_THREADS=1`, but settable from code when the
/// environment cannot be controlled).
public enum BLASThreads {
    /// The current OpenBLAS thread count. Corresponds to `openblas_get_num_threads()`.
    public static var count: Int { Int(openblas_get_num_threads()) }

    /// Sets the OpenBLAS thread count for the whole process. Corresponds to `openblas_set_num_threads(n)`.
    ///
    /// - Parameter count: 1 or more; smaller values are raised to 1.
    public static func set(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }
}
