/// Small dense-vector helpers shared by HPOMath and its users (plain loops: at the sizes used, a BLAS call costs more).
public enum VectorMath {
    /// Σ aᵢ·bᵢ.
    ///
    /// - Precondition: `a` and `b` have the same count.
    @inlinable
    public static func dot(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "VectorMath.dot needs equal counts, got \(a.count) and \(b.count)")
        var sum = 0.0
        for i in a.indices { sum += a[i] * b[i] }
        return sum
    }
}

@inline(__always)
func dot(_ a: [Double], _ b: [Double]) -> Double {
    VectorMath.dot(a, b)
}
