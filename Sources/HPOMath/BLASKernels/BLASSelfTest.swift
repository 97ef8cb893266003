internal import CLAPACK

/// Checks the BLAS and LAPACK routines hpo relies on against plain loops, so a kernel set that miscomputes on this
/// CPU is never used (older OpenBLAS builds are known to, for some kernels on some CPUs).
///
/// `sgemm` and `dgemm` (both transposes), `dpotrf` and `dtrsm` at sizes that cross the kernels' block edges
/// (1, 7, 64, 129), on seeded data. Tolerances, relative to the largest magnitude of the reference: 1e-4 for single
/// precision, 1e-10 for double.
public enum BLASSelfTest {
    /// What the check found.
    public struct Verdict: Sendable, Hashable {
        /// Every routine agreed.
        public var passed: Bool
        /// The first disagreement (routine, size, error), or `sgemm, dgemm, dpotrf, dtrsm agree` when it passed.
        public var detail: String

        public init(passed: Bool, detail: String) {
            self.passed = passed
            self.detail = detail
        }
    }

    /// Sizes checked.
    static let sizes = [1, 7, 64, 129]

    /// Runs every check in this process, with the kernels it loaded.
    ///
    /// - Complexity: about 2 × 129³ multiply-adds per routine in the reference loops.
    public static func run() -> Verdict {
        var generator = SeededGenerator(seed: 0xB1A5)
        for n in sizes {
            if let problem = checkGEMM(n, &generator) { return Verdict(passed: false, detail: problem) }
            if let problem = checkCholesky(n, &generator) { return Verdict(passed: false, detail: problem) }
        }
        return Verdict(passed: true, detail: "sgemm, dgemm, dpotrf, dtrsm agree with the reference at sizes \(sizes.map(String.init).joined(separator: ", "))")
    }

    /// C = op(A)·op(B) for n × n matrices in column-major order, single and double precision.
    private static func checkGEMM(_ n: Int, _ generator: inout SeededGenerator) -> String? {
        let a = (0..<(n * n)).map { _ in Double.random(in: -1...1, using: &generator) }
        let b = (0..<(n * n)).map { _ in Double.random(in: -1...1, using: &generator) }
        for (transA, transB) in [(false, false), (true, false), (false, true)] {
            var reference = [Double](repeating: 0, count: n * n)
            for j in 0..<n {
                for i in 0..<n {
                    var sum = 0.0
                    for k in 0..<n {
                        sum += (transA ? a[k + i * n] : a[i + k * n]) * (transB ? b[j + k * n] : b[k + j * n])
                    }
                    reference[i + j * n] = sum
                }
            }
            let scale = max(reference.map(abs).max() ?? 1, 1e-300)
            var double = [Double](repeating: 0, count: n * n)
            cblas_dgemm(
                CblasColMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, Int32(n), Int32(n),
                Int32(n), 1, a, Int32(n), b, Int32(n), 0, &double, Int32(n))
            let doubleError = zip(double, reference).map { abs($0 - $1) }.max()! / scale
            if !(doubleError <= 1e-10) { return "dgemm n=\(n) transA=\(transA) transB=\(transB): relative error \(doubleError) > 1e-10" }
            let af = a.map(Float.init)
            let bf = b.map(Float.init)
            var single = [Float](repeating: 0, count: n * n)
            cblas_sgemm(
                CblasColMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, Int32(n), Int32(n),
                Int32(n), 1, af, Int32(n), bf, Int32(n), 0, &single, Int32(n))
            let singleError = zip(single, reference).map { abs(Double($0) - $1) }.max()! / scale
            if !(singleError <= 1e-4) { return "sgemm n=\(n) transA=\(transA) transB=\(transB): relative error \(singleError) > 1e-4" }
        }
        return nil
    }

    /// L from `dpotrf` of a well-conditioned SPD matrix must reproduce it, and `dtrsm` must solve L·X = B.
    private static func checkCholesky(_ n: Int, _ generator: inout SeededGenerator) -> String? {
        let m = (0..<(n * n)).map { _ in Double.random(in: -1...1, using: &generator) }
        var spd = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            for i in 0..<n {
                var sum = i == j ? Double(n) : 0
                for k in 0..<n { sum += m[i + k * n] * m[j + k * n] }
                spd[i + j * n] = sum
            }
        }
        var factor = spd
        let info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), Int32(n), &factor, Int32(n))
        guard info == 0 else { return "dpotrf n=\(n): info \(info) on a positive definite matrix" }
        for j in 0..<n { for i in 0..<j { factor[i + j * n] = 0 } }
        let scale = spd.map(abs).max()!
        var worst = 0.0
        for j in 0..<n {
            for i in j..<n {
                var sum = 0.0
                for k in 0...j { sum += factor[i + k * n] * factor[j + k * n] }
                worst = max(worst, abs(sum - spd[i + j * n]) / scale)
            }
        }
        if !(worst <= 1e-10) { return "dpotrf n=\(n): L·Lᵀ differs from A by \(worst) (relative) > 1e-10" }
        let rhs = (0..<(n * 3)).map { _ in Double.random(in: -1...1, using: &generator) }
        var solution = rhs
        cblas_dtrsm(CblasColMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, Int32(n), 3, 1, factor, Int32(n), &solution, Int32(n))
        var residual = 0.0
        for c in 0..<3 {
            for i in 0..<n {
                var sum = 0.0
                for k in 0...i { sum += factor[i + k * n] * solution[k + c * n] }
                residual = max(residual, abs(sum - rhs[i + c * n]))
            }
        }
        if !(residual <= 1e-10 * Double(n)) { return "dtrsm n=\(n): residual \(residual) > \(1e-10 * Double(n))" }
        return nil
    }
}
