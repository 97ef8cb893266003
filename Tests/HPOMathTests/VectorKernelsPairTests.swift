import HPOMath
import Testing

/// `VectorKernels.pairDistances` and `pairWeightedSquares` (the marginal likelihood's pair loops), every instruction
/// set this CPU runs, against plain loops over the pairs in their documented order.
@Suite struct VectorKernelsPairTests {
    static let supported = VectorKernels.InstructionSet.allCases.filter(\.isSupported)

    struct Example {
        let points: [[Double]]
        let scales: [Double]
        let weights: [Double]
        var coordinates: [Double] {
            let n = points.count, d = scales.count
            var result = [Double](repeating: 0, count: n * d)
            for i in 0..<n { for k in 0..<d { result[k * n + i] = points[i][k] } }
            return result
        }

        init(count n: Int, dimension d: Int, seed: UInt64) {
            var generator = SeededGenerator(seed: seed)
            points = (0..<n).map { _ in (0..<d).map { _ in generator.nextUniform() } }
            scales = (0..<d).map { _ in generator.nextUniform(in: 0.1, 30) }
            weights = (0..<(n * (n - 1) / 2)).map { _ in generator.nextUniform(in: -1, 1) }
        }

        /// (i, j) for each pair p, in the kernels' order.
        var pairs: [(Int, Int)] {
            (0..<points.count).flatMap { j in ((j + 1)..<points.count).map { i in (i, j) } }
        }
    }

    @Test(arguments: supported, [(2, 1), (3, 6), (17, 6), (101, 20), (64, 3)])
    func distancesAreTheScaledSquaredDifferencesInPairOrder(set: VectorKernels.InstructionSet, shape: (Int, Int)) {
        let example = Example(count: shape.0, dimension: shape.1, seed: UInt64(shape.0 * 100 + shape.1))
        var output = [Double](repeating: .nan, count: example.weights.count)
        example.coordinates.withUnsafeBufferPointer { coordinates in
            example.scales.withUnsafeBufferPointer { scales in
                output.withUnsafeMutableBufferPointer { output in
                    VectorKernels.pairDistances(
                        coordinates: coordinates, count: shape.0, scales: scales, into: output, instructionSet: set)
                }
            }
        }
        for (p, (i, j)) in example.pairs.enumerated() {
            var expected = 0.0
            for k in 0..<shape.1 {
                let delta = example.points[i][k] - example.points[j][k]
                expected += example.scales[k] * delta * delta
            }
            #expect(abs(output[p] - expected) <= 1e-13 * expected, "\(set.rawValue) pair \(p) = (\(i), \(j))")
        }
    }

    @Test(arguments: supported, [(2, 1), (3, 6), (17, 6), (101, 20), (64, 3)])
    func weightedSquaresSumEveryPairPerCoordinate(set: VectorKernels.InstructionSet, shape: (Int, Int)) {
        let example = Example(count: shape.0, dimension: shape.1, seed: UInt64(shape.0 * 100 + shape.1 + 7))
        var sums = [Double](repeating: .nan, count: shape.1)
        example.coordinates.withUnsafeBufferPointer { coordinates in
            example.weights.withUnsafeBufferPointer { weights in
                sums.withUnsafeMutableBufferPointer { sums in
                    VectorKernels.pairWeightedSquares(
                        coordinates: coordinates, count: shape.0, weights: weights, into: sums, instructionSet: set)
                }
            }
        }
        for k in 0..<shape.1 {
            var expected = 0.0, magnitude = 0.0
            for (p, (i, j)) in example.pairs.enumerated() {
                let delta = example.points[i][k] - example.points[j][k]
                expected += example.weights[p] * delta * delta
                magnitude += abs(example.weights[p]) * delta * delta
            }
            #expect(abs(sums[k] - expected) <= 1e-13 * magnitude, "\(set.rawValue) coordinate \(k): \(sums[k]) vs \(expected)")
        }
    }

    @Test func onePointHasNoPairs() {
        var sums = [Double](repeating: .nan, count: 2)
        let coordinates = [0.5, 0.25]
        coordinates.withUnsafeBufferPointer { coordinates in
            [Double]().withUnsafeBufferPointer { weights in
                sums.withUnsafeMutableBufferPointer { sums in
                    VectorKernels.pairWeightedSquares(coordinates: coordinates, count: 1, weights: weights, into: sums)
                }
            }
        }
        #expect(sums == [0, 0])
    }

    /// The avx512 set gives the AVX2 + FMA bits for all three pair loops: distances sum in a fixed order, and the
    /// reassociated weighted squares run their AVX2 + FMA build under both sets.
    @Test(.enabled(if: supported.contains(.avx512), "this CPU runs no AVX-512: nothing to compare"),
          arguments: [(3, 6), (17, 6), (101, 20)])
    func theAVX512BuildGivesTheAVX2Bits(shape: (Int, Int)) {
        let example = Example(count: shape.0, dimension: shape.1, seed: UInt64(shape.0 * 31 + shape.1))
        func loops(_ set: VectorKernels.InstructionSet) -> [UInt64] {
            var distances = [Double](repeating: .nan, count: example.weights.count)
            var sums = [Double](repeating: .nan, count: shape.1)
            var fromFirst = [Double](repeating: .nan, count: shape.0 - 1)
            let coordinates = example.coordinates, rest = example.points.dropFirst().flatMap { $0 }
            coordinates.withUnsafeBufferPointer { coordinates in
                example.scales.withUnsafeBufferPointer { scales in
                    distances.withUnsafeMutableBufferPointer {
                        VectorKernels.pairDistances(
                            coordinates: coordinates, count: shape.0, scales: scales, into: $0, instructionSet: set)
                    }
                }
                example.weights.withUnsafeBufferPointer { weights in
                    sums.withUnsafeMutableBufferPointer {
                        VectorKernels.pairWeightedSquares(
                            coordinates: coordinates, count: shape.0, weights: weights, into: $0, instructionSet: set)
                    }
                }
            }
            example.points[0].withUnsafeBufferPointer { point in
                rest.withUnsafeBufferPointer { rest in
                    fromFirst.withUnsafeMutableBufferPointer {
                        VectorKernels.squaredDistances(from: point, to: rest, into: $0, instructionSet: set)
                    }
                }
            }
            return (distances + sums + fromFirst).map(\.bitPattern)
        }
        #expect(loops(.avx512) == loops(.avx2FMA))
    }

    /// Distances from one point to n point-major points, across the four-point blocks and their remainder.
    @Test(arguments: supported, [(1, 1), (3, 6), (4, 20), (7, 5), (101, 20), (256, 6)])
    func pointDistancesAreTheSquaredDifferences(set: VectorKernels.InstructionSet, shape: (Int, Int)) {
        let example = Example(count: shape.0 + 1, dimension: shape.1, seed: UInt64(shape.0 * 7 + shape.1))
        let point = example.points[0]
        let points = Array(example.points.dropFirst())
        let flattened = points.flatMap { $0 }
        var output = [Double](repeating: .nan, count: points.count)
        point.withUnsafeBufferPointer { point in
            flattened.withUnsafeBufferPointer { flattened in
                output.withUnsafeMutableBufferPointer { output in
                    VectorKernels.squaredDistances(from: point, to: flattened, into: output, instructionSet: set)
                }
            }
        }
        for (i, other) in points.enumerated() {
            let expected = zip(point, other).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            #expect(abs(output[i] - expected) <= 1e-14 * max(1, expected), "\(set) point \(i)")
        }
    }
}
