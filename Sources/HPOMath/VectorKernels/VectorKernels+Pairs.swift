internal import CVectorKernels

extension VectorKernels {
    /// Scaled squared distances of every pair of `count` points, straight from their coordinates (no d × n(n−1)/2
    /// table of differences, which at n = 256, d = 20 is 5 MB streamed twice per likelihood evaluation).
    ///
    /// Pairs (i, j), j < i, are ordered j = 0, 1, … and, within each j, i = j + 1, …, count − 1 (column by column of
    /// the strictly lower triangle): output[p] = Σₖ scales[k]·(xᵢₖ − xⱼₖ)².
    ///
    /// - Parameters:
    ///   - coordinates: count × d values, coordinate-major (`coordinates[k·count + i]` is coordinate k of point i).
    ///   - count: n, the number of points.
    ///   - scales: d non-negative factors (e.g. 1/ℓₖ²).
    ///   - output: n(n−1)/2 doubles, overwritten.
    ///   - instructionSet: nil for ``selected``.
    /// - Complexity: O(n²·d / 2).
    public static func pairDistances(
        coordinates: UnsafeBufferPointer<Double>, count: Int, scales: UnsafeBufferPointer<Double>,
        into output: UnsafeMutableBufferPointer<Double>, instructionSet: InstructionSet? = nil
    ) {
        let d = scales.count
        precondition(coordinates.count == count * d, "pairDistances: \(coordinates.count) coordinates for \(count) points of \(d)")
        precondition(output.count == count * (count - 1) / 2, "pairDistances: output holds \(output.count) values")
        guard count > 1, let c = coordinates.baseAddress, let out = output.baseAddress else { return }
        hpo_pair_distances((instructionSet ?? selected).checked.c, c, count, d, scales.baseAddress, out)
    }

    /// Σₚ weights[p]·(xᵢₖ − xⱼₖ)² for each coordinate k over the pairs of ``pairDistances(coordinates:count:scales:into:instructionSet:)``
    /// (same order): the length-scale part of the marginal likelihood's gradient.
    ///
    /// - Parameters:
    ///   - coordinates: count × d values, coordinate-major.
    ///   - weights: n(n−1)/2 values, one per pair.
    ///   - sums: d doubles, overwritten.
    /// - Complexity: O(n²·d / 2).
    public static func pairWeightedSquares(
        coordinates: UnsafeBufferPointer<Double>, count: Int, weights: UnsafeBufferPointer<Double>,
        into sums: UnsafeMutableBufferPointer<Double>, instructionSet: InstructionSet? = nil
    ) {
        let d = sums.count
        precondition(coordinates.count == count * d, "pairWeightedSquares: \(coordinates.count) coordinates for \(count) points of \(d)")
        precondition(weights.count == count * (count - 1) / 2, "pairWeightedSquares: \(weights.count) weights")
        for k in 0..<d { sums[k] = 0 }
        guard count > 1, let c = coordinates.baseAddress, let out = sums.baseAddress else { return }
        hpo_pair_weighted_squares((instructionSet ?? selected).checked.c, c, count, d, weights.baseAddress, out)
    }
}

extension VectorKernels.InstructionSet {
    /// The set itself, after checking that this CPU runs it.
    var checked: Self {
        precondition(isSupported, "vector kernels: this CPU does not run \(rawValue)")
        return self
    }
}
