/// The last m curvature pairs (s, y) of L-BFGS and the two-loop recursion that applies the implicit inverse Hessian.
struct CurvatureHistory {
    private var steps: [[Double]] = []
    private var gradientChanges: [[Double]] = []
    private var inverseCurvatures: [Double] = []  // 1 / (sᵀy)
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    var isEmpty: Bool { steps.isEmpty }

    mutating func removeAll() {
        steps.removeAll()
        gradientChanges.removeAll()
        inverseCurvatures.removeAll()
    }

    /// Keeps (s, y) if sᵀy > 1e-10·yᵀy (positive curvature); drops the oldest pair beyond capacity.
    mutating func append(s: [Double], y: [Double]) {
        let curvature = dot(s, y)
        guard curvature > 1e-10 * dot(y, y), curvature.isFinite else { return }
        if steps.count == capacity {
            steps.removeFirst()
            gradientChanges.removeFirst()
            inverseCurvatures.removeFirst()
        }
        steps.append(s)
        gradientChanges.append(y)
        inverseCurvatures.append(1 / curvature)
    }

    /// −H·g restricted to the free variables (fixed ones get 0), by the two-loop recursion.
    func direction(for gradient: [Double], free: [Bool]) -> [Double] {
        var q = gradient.indices.map { free[$0] ? gradient[$0] : 0 }
        let count = steps.count
        var alphas = [Double](repeating: 0, count: count)
        for k in stride(from: count - 1, through: 0, by: -1) {
            let alpha = inverseCurvatures[k] * maskedDot(steps[k], q, free)
            alphas[k] = alpha
            for i in q.indices where free[i] { q[i] -= alpha * gradientChanges[k][i] }
        }
        if let last = steps.indices.last {
            let gamma = dot(steps[last], gradientChanges[last]) / dot(gradientChanges[last], gradientChanges[last])
            for i in q.indices { q[i] *= gamma }
        }
        for k in 0..<count {
            let beta = inverseCurvatures[k] * maskedDot(gradientChanges[k], q, free)
            for i in q.indices where free[i] { q[i] += (alphas[k] - beta) * steps[k][i] }
        }
        return q.indices.map { free[$0] ? -q[$0] : 0 }
    }

    private func maskedDot(_ a: [Double], _ b: [Double], _ free: [Bool]) -> Double {
        var sum = 0.0
        for i in a.indices where free[i] { sum += a[i] * b[i] }
        return sum
    }
}
