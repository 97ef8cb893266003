import CLAPACK

/// The two halves of a Cholesky inverse on a column-major lower triangle, in place, recursively: each splits the
/// triangle into two diagonal triangles and the block below them, recurses on the triangles and updates the block
/// with one or two level-3 calls, down to ``baseOrder``, where LAPACK's own routine takes over.
enum TriangularInverse {
    /// Below this order the LAPACK routine runs directly (16 was fastest at n = 64, 101 and 256 on Zen 3).
    static let baseOrder = 16

    /// L → L⁻¹ for the lower triangle of the order × order matrix at `elements` (`dtrtri`'s result).
    ///
    /// With L = [[A, 0], [B, C]], L⁻¹ = [[A⁻¹, 0], [−C⁻¹·B·A⁻¹, C⁻¹]]: two recursions and two `dtrmm`.
    static func invertLower(order n: Int, _ elements: UnsafeMutablePointer<Double>, leadingDimension ld: Int) {
        guard n > baseOrder else {
            _ = LAPACKE_dtrtri_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), CChar(UInt8(ascii: "N")), Int32(n), elements, Int32(ld))
            return
        }
        let first = n / 2, second = n - first
        let a = elements, below = elements + first, c = elements + first + first * ld
        invertLower(order: first, a, leadingDimension: ld)
        invertLower(order: second, c, leadingDimension: ld)
        cblas_dtrmm(
            CblasColMajor, CblasRight, CblasLower, CblasNoTrans, CblasNonUnit, Int32(second), Int32(first), 1, a, Int32(ld),
            below, Int32(ld))
        cblas_dtrmm(
            CblasColMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, Int32(second), Int32(first), -1, c, Int32(ld),
            below, Int32(ld))
    }

    /// X → the lower triangle of Xᵀ·X for the lower triangular X at `elements` (`dlauum`'s result).
    ///
    /// With X = [[P, 0], [Q, R]], XᵀX = [[PᵀP + QᵀQ, ·], [RᵀQ, RᵀR]]: two recursions, one `dsyrk` (before Q is
    /// overwritten) and one `dtrmm`.
    static func lowerGram(order n: Int, _ elements: UnsafeMutablePointer<Double>, leadingDimension ld: Int) {
        guard n > baseOrder else {
            _ = LAPACKE_dlauum_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), Int32(n), elements, Int32(ld))
            return
        }
        let first = n / 2, second = n - first
        let p = elements, q = elements + first, r = elements + first + first * ld
        lowerGram(order: first, p, leadingDimension: ld)
        cblas_dsyrk(CblasColMajor, CblasLower, CblasTrans, Int32(first), Int32(second), 1, q, Int32(ld), 1, p, Int32(ld))
        cblas_dtrmm(
            CblasColMajor, CblasLeft, CblasLower, CblasTrans, CblasNonUnit, Int32(second), Int32(first), 1, r, Int32(ld),
            q, Int32(ld))
        lowerGram(order: second, r, leadingDimension: ld)
    }
}
