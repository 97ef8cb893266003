import HPOMath

extension GaussianProcess {
    /// ``posteriorWithGradient(at:)`` at every point of `xs`, eight at a time through one pass over the Cholesky
    /// factor per solve (``CholeskyFactor/solveLower(panel:)``): the acquisition's refinement evaluates its starts in
    /// lockstep this way (docs/gaussian-process.md, *Fourth round*). Agrees with the point-by-point results up to
    /// rounding.
    ///
    /// - Parameter xs: points of d coordinates each.
    /// - Returns: one posterior with gradient per point, in order.
    /// - Complexity: O(m·n·d + ⌈m/8⌉·8·n²) flops, but only 2·⌈m/8⌉ passes over the n × n factor (memory-bound at
    ///   n = 1000, where the factor is 8 MB). A lone point takes the vector solves (0.22 ms against the panel's 0.39 ms
    ///   at n = 1000), as when one refinement start outlasts the others.
    public func posteriorsWithGradients(at xs: [[Double]]) -> [PosteriorWithGradient] {
        posteriorsWithGradients(at: xs, alphas: [alpha])[0]
    }

    /// ``posteriorsWithGradients(at:)`` of models that differ from this one only in their targets (`alphas`: each
    /// one's K⁻¹·y, n values), as ``FantasyAverage``'s members do: the solves once, each model's means and mean
    /// gradients from its α. `result[j][i]` is model j at `xs[i]`, bit for bit its own ``posteriorsWithGradients(at:)``.
    func posteriorsWithGradients(at xs: [[Double]], alphas: [[Double]]) -> [[PosteriorWithGradient]] {
        if xs.count == 1 { return posteriorWithGradient(at: xs[0], alphas: alphas).map { [$0] } }
        let width = RightHandSidePanel.width
        var results = alphas.map { _ in [PosteriorWithGradient]() }
        for index in results.indices { results[index].reserveCapacity(xs.count) }
        for first in stride(from: 0, to: xs.count, by: width) {
            let chunk = xs[first..<min(first + width, xs.count)]
            var panel = RightHandSidePanel(rows: pointCount)
            var pieces: [(crossCovariance: [Double], factors: [Double])] = []
            for (column, x) in chunk.enumerated() {
                precondition(x.count == dimension, "GP posterior needs \(dimension) coordinates, got \(x.count)")
                let piece = crossCovariances(at: x, withFactors: true)
                panel.setColumn(column, to: piece.0)
                pieces.append(piece)
            }
            factor.solveLower(panel: &panel)
            var squaredNorms = [Double](repeating: 0, count: chunk.count)
            panel.elements.withUnsafeBufferPointer { whitened in
                squaredNorms.withUnsafeMutableBufferPointer { sums in
                    for row in 0..<pointCount {
                        for column in sums.indices {
                            let value = whitened[row * width + column]
                            sums[column] += value * value
                        }
                    }
                }
            }
            factor.solveUpper(panel: &panel)
            panel.elements.withUnsafeBufferPointer { solved in
                for (column, x) in chunk.enumerated() {
                    for (model, alpha) in alphas.enumerated() {
                        results[model].append(
                            assembledPosterior(
                                at: x, crossCovariance: pieces[column].crossCovariance, factors: pieces[column].factors,
                                whitenedSquaredNorm: squaredNorms[column],
                                solved: UnsafeBufferPointer(rebasing: solved[column...]), stride: width, alpha: alpha))
                    }
                }
            }
        }
        return results
    }
}
