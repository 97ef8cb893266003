import Foundation
@testable import HPOOptimizer
import Testing

@Suite struct OutputWarpingTests {
    /// The transform keeps the order of the scores (so the incumbent and the lies keep their meaning).
    @Test func yeoJohnsonIsIncreasing() {
        let values = [3.0, 1e6, 0.5, 42, 7e3, 0.4, 19]
        let warped = OutputWarping.yeoJohnson.apply(values)
        let order = values.indices.sorted { values[$0] < values[$1] }
        #expect(order == warped.indices.sorted { warped[$0] < warped[$1] })
        #expect(OutputWarping.none.apply(values) == values)
    }

    /// A heavy right tail (Rosenbrock-like) is compressed: the fitted λ is below 1 and the spread between the best
    /// values grows relative to the whole range.
    @Test func heavyTailIsCompressed() {
        let values = (0..<40).map { pow(Double($0) / 4, 4) }
        let z = standardized(values)
        let lambda = YeoJohnson.fitLambda(z)
        #expect(lambda < 1)
        let warped = OutputWarping.yeoJohnson.apply(values)
        let rawShare = (values[5] - values[0]) / (values.max()! - values.min()!)
        let warpedShare = (warped[5] - warped[0]) / (warped.max()! - warped.min()!)
        #expect(warpedShare > 3 * rawShare)
    }

    /// λ maximizes the profile likelihood, and symmetric data keeps λ near 1 (the identity after standardizing).
    @Test func lambdaMaximizesTheLikelihood() {
        let symmetric = (0..<50).map { sin(Double($0) * 1.7) }
        let z = standardized(symmetric)
        let lambda = YeoJohnson.fitLambda(z)
        #expect(abs(lambda - 1) < 0.5)
        let best = YeoJohnson.logLikelihood(z, lambda: lambda)
        for other in stride(from: -3.0, through: 3.0, by: 0.25) {
            #expect(YeoJohnson.logLikelihood(z, lambda: other) <= best + 1e-9)
        }
        // The branches meet continuously at z = 0 and at the log limits.
        #expect(abs(YeoJohnson.transform(1e-12, lambda: 0.5) - YeoJohnson.transform(-1e-12, lambda: 0.5)) < 1e-11)
        #expect(abs(YeoJohnson.transform(2, lambda: 1e-9) - log1p(2)) < 1e-8)
        #expect(abs(YeoJohnson.transform(-2, lambda: 2 - 1e-9) + log1p(2)) < 1e-8)
    }

    @Test func constantOrTinyInputPassesThrough() {
        #expect(OutputWarping.yeoJohnson.apply([2, 2, 2, 2]) == [2, 2, 2, 2])
        #expect(OutputWarping.yeoJohnson.apply([1, 5]) == [1, 5])
    }

    private func standardized(_ values: [Double]) -> [Double] {
        let mean = values.reduce(0, +) / Double(values.count)
        let deviation = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
        return values.map { ($0 - mean) / deviation }
    }
}
