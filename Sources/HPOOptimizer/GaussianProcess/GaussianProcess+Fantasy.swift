import HPOMath

/// Conditioning on fantasized observations (constant liar) without refitting.
extension GaussianProcess {
    /// The model with one more observation (x, value), same hyperparameters and standardization, without refitting.
    ///
    /// Used by constant liar: condition on a pending point's lie, then maximize the acquisition again.
    ///
    /// - Parameters:
    ///   - x: d coordinates in the unit cube.
    ///   - value: the fantasized observation in y's units.
    /// - Throws: `OptimizerError.invalidArgument` for a wrong dimension or non-finite values; `.modelFailure` if the
    ///   extended kernel matrix is not positive definite (x duplicates a training point and the noise is ~0).
    /// - Complexity: O(n·d + n²) (one triangular solve and a copy of the factor).
    public func conditioned(onFantasy x: [Double], value: Double) throws(OptimizerError) -> GaussianProcess {
        try conditioned(onFantasies: [x], values: [value])
    }

    /// The model with k more observations at once (for example every pending trial at the lie value), same
    /// hyperparameters and standardization, without refitting.
    ///
    /// Equal to k successive ``conditioned(onFantasy:value:)`` calls up to rounding, but extends the Cholesky factor by
    /// one k-row block (`dtrsm` + `dgemm` + a k × k `dpotrf`) with a single copy, which matters when many trials are
    /// pending on a large model.
    ///
    /// - Parameters:
    ///   - xs: k points of d coordinates.
    ///   - values: k fantasized observations in y's units.
    /// - Throws: `OptimizerError.invalidArgument` for mismatched counts, wrong dimensions or non-finite values;
    ///   `.modelFailure` if the extended kernel matrix is not positive definite.
    /// - Complexity: O(n·k·d + n²·k + k³).
    public func conditioned(onFantasies xs: [[Double]], values: [Double]) throws(OptimizerError) -> GaussianProcess {
        guard xs.count == values.count else {
            throw OptimizerError(.invalidArgument, "fantasies need one value per point, got \(xs.count) points and \(values.count) values")
        }
        guard !xs.isEmpty else { return self }
        for (index, x) in xs.enumerated() where x.count != dimension || !x.allSatisfy(\.isFinite) || !values[index].isFinite {
            throw OptimizerError(
                .invalidArgument,
                "fantasy \(index) needs \(dimension) finite coordinates and a finite value, got \(x) and \(values[index])")
        }
        let n = pointCount
        let k = xs.count
        let d = dimension
        let signal = hyperparameters.signalVariance
        var columns = Matrix(rows: n, columns: k)
        for (c, x) in xs.enumerated() {
            let (covariance, _) = crossCovariances(at: x, withFactors: false)
            columns.elements.replaceSubrange((c * n)..<(c * n + n), with: covariance)
        }
        let scaled = xs.flatMap { x in (0..<d).map { x[$0] * inverseLengthScales[$0] } }
        let block = MaternKernel.covarianceMatrix(
            scaledPoints: scaled, count: k, dimension: d, signal: signal, diagonal: hyperparameters.noiseVariance)
        let grown: CholeskyFactor
        do {
            grown = try factor.extended(columns: columns, diagonalBlock: block)
        } catch {
            throw OptimizerError(.modelFailure, "conditioning the GP on \(k) fantasies failed: \(error.message)")
        }
        // Forward substitution continues from the stored L⁻¹·y: only the k new rows of L are needed.
        let standardizedValues = values.map { ($0 - targetMean) / targetScale }
        let m = n + k
        var whitened = whitenedTargets + standardizedValues
        grown.lower.elements.withUnsafeBufferPointer { l in
            for r in n..<m {
                var sum = whitened[r]
                for j in 0..<r { sum -= l[r + j * m] * whitened[j] }
                whitened[r] = sum / l[r + r * m]
            }
        }
        return GaussianProcess(
            extending: self, factor: grown, points: scaled, targets: standardizedValues, whitened: whitened)
    }
}

/// Conditioning on values drawn from the model itself (sampled fantasies).
extension GaussianProcess {
    /// A value of a new observation at x drawn from the posterior predictive: μ(x) + z·√(σ²(x) + σₙ²), in y's units
    /// (σₙ² the fitted noise variance, rescaled from standardized units).
    ///
    /// - Parameters:
    ///   - x: d coordinates in the unit cube.
    ///   - standardNormal: the draw z from N(0, 1) (z = 0 gives the posterior mean).
    public func predictiveDraw(at x: [Double], standardNormal: Double) -> Double {
        let posterior = posterior(at: x)
        let noise = hyperparameters.noiseVariance * targetScale * targetScale
        return posterior.mean + standardNormal * (posterior.variance + noise).squareRoot()
    }

    /// The model conditioned on one draw from its own posterior predictive at each of `xs`, in turn: the draw at
    /// `xs[i]` is taken from the model already conditioned on the draws at `xs[0..<i]`, so the values are one sample
    /// of the joint predictive at all of `xs`.
    ///
    /// - Parameters:
    ///   - xs: k points of d coordinates.
    ///   - generator: the source of the k standard normal draws (same state ⇒ same values).
    /// - Returns: the conditioned model and the k drawn values in y's units.
    /// - Throws: as ``conditioned(onFantasy:value:)``.
    /// - Complexity: O(k·(n·d + n²)) for n points in the model.
    func conditioned(
        onDrawsAt xs: [[Double]], generator: inout SeededGenerator
    ) throws(OptimizerError) -> (model: GaussianProcess, values: [Double]) {
        var model = self
        var values: [Double] = []
        for x in xs {
            let value = model.predictiveDraw(at: x, standardNormal: generator.nextStandardNormal())
            model = try model.conditioned(onFantasy: x, value: value)
            values.append(value)
        }
        return (model, values)
    }
}
