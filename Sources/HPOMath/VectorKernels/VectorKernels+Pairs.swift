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
        guard let call = PairCall(coordinates, count: count, dimension: scales.count, pairValues: UnsafeBufferPointer(output),
            instructionSet: instructionSet)
        else { return }
        hpo_pair_distances(call.set, call.coordinates, count, scales.count, scales.baseAddress, output.baseAddress)
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
        for k in sums.indices { sums[k] = 0 }
        guard let call = PairCall(coordinates, count: count, dimension: sums.count, pairValues: weights,
            instructionSet: instructionSet)
        else { return }
        hpo_pair_weighted_squares(call.set, call.coordinates, count, sums.count, weights.baseAddress, sums.baseAddress)
    }
}

extension VectorKernels {
    /// Squared distances from `point` to each of `output.count` points: output[i] = Σₖ (point[k] − points[i·d + k])²,
    /// each sum over k in order, four points at a time.
    ///
    /// - Parameters:
    ///   - point: d coordinates.
    ///   - points: n × d values, point-major (`points[i·d + k]`); at least n·d of them.
    ///   - output: n doubles, overwritten.
    ///   - instructionSet: nil for ``selected``.
    /// - Complexity: O(n·d).
    public static func squaredDistances(
        from point: UnsafeBufferPointer<Double>, to points: UnsafeBufferPointer<Double>,
        into output: UnsafeMutableBufferPointer<Double>, instructionSet: InstructionSet? = nil
    ) {
        let d = point.count
        precondition(points.count >= output.count * d, "squaredDistances: \(points.count) coordinates for \(output.count) points of \(d)")
        guard !output.isEmpty else { return }
        hpo_point_distances(checkedSet(instructionSet), point.baseAddress, points.baseAddress, output.count, d, output.baseAddress)
    }
}

/// The checked arguments both pair kernels share: nil when there is no pair (fewer than two points).
private struct PairCall {
    let coordinates: UnsafePointer<Double>
    let set: HPOVectorISA

    init?(
        _ coordinates: UnsafeBufferPointer<Double>, count: Int, dimension: Int, pairValues: UnsafeBufferPointer<Double>,
        instructionSet: VectorKernels.InstructionSet?
    ) {
        precondition(coordinates.count == count * dimension, "pair kernels: \(coordinates.count) coordinates for \(count) points of \(dimension)")
        precondition(pairValues.count == count * (count - 1) / 2, "pair kernels: \(pairValues.count) values for \(count) points")
        guard count > 1, let base = coordinates.baseAddress else { return nil }
        self.coordinates = base
        self.set = VectorKernels.checkedSet(instructionSet)
    }
}
