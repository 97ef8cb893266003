/// The last m curvature pairs (s, y) of L-BFGS and the two-loop recursion that applies the implicit inverse Hessian.
///
/// The pairs live in two flat ring buffers of m·n doubles (slot j holds entries j·n ..< (j + 1)·n), so keeping a
/// pair and dropping the oldest copies n values and allocates nothing once the buffers are full; the recursion
/// runs over raw buffers. The arithmetic (its order included) is the textbook loop's, so iterates do not change.
struct CurvatureHistory {
    let capacity: Int
    /// Variables per pair (set by the first pair kept).
    private var dimension = 0
    /// s vectors, ring slots of `dimension` doubles.
    private var steps: [Double] = []
    /// y vectors, ring slots of `dimension` doubles.
    private var gradientChanges: [Double] = []
    /// 1 / (sᵀy) per slot.
    private var inverseCurvatures: [Double] = []
    /// The slot of the oldest pair kept.
    private var oldest = 0
    /// Pairs kept (≤ capacity).
    private(set) var count = 0

    init(capacity: Int) { self.capacity = capacity }

    var isEmpty: Bool { count == 0 }

    mutating func removeAll() {
        count = 0
        oldest = 0
    }

    /// Keeps (s, y) if sᵀy > 1e-10·yᵀy (positive curvature); drops the oldest pair beyond capacity.
    mutating func append(s: [Double], y: [Double]) {
        let curvature = dot(s, y)
        guard curvature > 1e-10 * dot(y, y), curvature.isFinite else { return }
        if steps.isEmpty || dimension != s.count {
            dimension = s.count
            steps = [Double](repeating: 0, count: capacity * dimension)
            gradientChanges = steps
            inverseCurvatures = [Double](repeating: 0, count: capacity)
            count = 0
            oldest = 0
        }
        let slot: Int
        if count == capacity {
            slot = oldest
            oldest = (oldest + 1) % capacity
        } else {
            slot = (oldest + count) % capacity
            count += 1
        }
        let n = dimension
        steps.withUnsafeMutableBufferPointer { steps in
            gradientChanges.withUnsafeMutableBufferPointer { changes in
                for i in 0..<n {
                    steps[slot * n + i] = s[i]
                    changes[slot * n + i] = y[i]
                }
            }
        }
        inverseCurvatures[slot] = 1 / curvature
    }

    /// −H·g restricted to the free variables (fixed ones get 0), by the two-loop recursion.
    func direction(for gradient: [Double], free: [Bool]) -> [Double] {
        var q = gradient.indices.map { free[$0] ? gradient[$0] : 0 }
        if count > 0 { applyInverseHessian(to: &q, free: free) }
        return q.indices.map { free[$0] ? -q[$0] : 0 }
    }

    /// q ← H·q by the two-loop recursion over the kept pairs (at least one), free entries only in the dot products
    /// and updates; the scaling γ applies to every entry.
    private func applyInverseHessian(to q: inout [Double], free: [Bool]) {
        let n = q.count
        precondition(n == dimension, "CurvatureHistory: a gradient of \(n) entries for pairs of \(dimension)")
        var alphas = [Double](repeating: 0, count: count)
        steps.withUnsafeBufferPointer { steps in
            gradientChanges.withUnsafeBufferPointer { changes in
                free.withUnsafeBufferPointer { free in
                    q.withUnsafeMutableBufferPointer { q in
                        // Newest to oldest: αₖ = ρₖ·sₖᵀq, q −= αₖ·yₖ (free entries only).
                        for k in stride(from: count - 1, through: 0, by: -1) {
                            let slot = (oldest + k) % capacity
                            let base = slot * n
                            var sum = 0.0
                            for i in 0..<n where free[i] { sum += steps[base + i] * q[i] }
                            let alpha = inverseCurvatures[slot] * sum
                            alphas[k] = alpha
                            for i in 0..<n where free[i] { q[i] -= alpha * changes[base + i] }
                        }
                        // Initial scaling γ = sᵀy / yᵀy of the newest pair.
                        let newest = ((oldest + count - 1) % capacity) * n
                        var sy = 0.0
                        var yy = 0.0
                        for i in 0..<n { sy += steps[newest + i] * changes[newest + i] }
                        for i in 0..<n { yy += changes[newest + i] * changes[newest + i] }
                        let gamma = sy / yy
                        for i in 0..<n { q[i] *= gamma }
                        // Oldest to newest: β = ρₖ·yₖᵀq, q += (αₖ − β)·sₖ.
                        for k in 0..<count {
                            let slot = (oldest + k) % capacity
                            let base = slot * n
                            var sum = 0.0
                            for i in 0..<n where free[i] { sum += changes[base + i] * q[i] }
                            let beta = inverseCurvatures[slot] * sum
                            for i in 0..<n where free[i] { q[i] += (alphas[k] - beta) * steps[base + i] }
                        }
                    }
                }
            }
        }
    }
}
