@testable import HPOOptimizer
import Testing

/// The TuRBO-style trust region: its edge-length rule over a study's history, the box it spans, and that an optimizer
/// using it proposes inside the box.
@Suite struct TrustRegionTests {
    private let options = TrustRegionOptions(successTolerance: 3, failureTolerance: 4)

    @Test func theDesignMovesNothing() {
        let length = TrustRegion.edgeLength(scores: [5, 4, 3, 2, 1], designCount: 5, dimension: 10, options: options)
        #expect(length == 0.8)
    }

    @Test func threeSuccessesInARowDoubleTheEdgeUpToTheMaximum() {
        // Design best 10; then 9, 8, 7 are successes: 0.8 → 1.6; three more would pass the maximum and stop there.
        #expect(TrustRegion.edgeLength(scores: [10, 9, 8, 7], designCount: 1, dimension: 2, options: options) == 1.6)
        #expect(TrustRegion.edgeLength(scores: [10, 9, 8, 7, 6, 5, 4], designCount: 1, dimension: 2, options: options) == 1.6)
        // A failure between successes resets the run.
        #expect(TrustRegion.edgeLength(scores: [10, 9, 8, 11, 7], designCount: 1, dimension: 2, options: options) == 0.8)
    }

    @Test func failuresInARowHalveTheEdgeAndTooSmallRestarts() {
        let failures = { (count: Int) in [Double](repeating: 2, count: count) }
        #expect(TrustRegion.edgeLength(scores: [1] + failures(3), designCount: 1, dimension: 2, options: options) == 0.8)
        #expect(TrustRegion.edgeLength(scores: [1] + failures(4), designCount: 1, dimension: 2, options: options) == 0.4)
        #expect(TrustRegion.edgeLength(scores: [1] + failures(8), designCount: 1, dimension: 2, options: options) == 0.2)
        // 0.8 / 2⁷ = 0.00625 < 0.0078125: after 28 failures the region starts over at 0.8.
        #expect(TrustRegion.edgeLength(scores: [1] + failures(24), designCount: 1, dimension: 2, options: options) == 0.0125)
        #expect(TrustRegion.edgeLength(scores: [1] + failures(28), designCount: 1, dimension: 2, options: options) == 0.8)
    }

    @Test func aGainBelowOneThousandthOfTheBestIsAFailure() {
        let scores: [Double] = [100, 99.95, 99.9, 99.85, 99.8]
        #expect(TrustRegion.edgeLength(scores: scores, designCount: 1, dimension: 2, options: options) == 0.4)
    }

    @Test func theDefaultFailureToleranceIsTheDimensionButAtLeastFour() {
        let defaults = TrustRegionOptions()
        let scores = [1.0] + [Double](repeating: 2, count: 10)
        #expect(TrustRegion.edgeLength(scores: scores, designCount: 1, dimension: 10, options: defaults) == 0.4)
        #expect(TrustRegion.edgeLength(scores: Array(scores.prefix(10)), designCount: 1, dimension: 10, options: defaults) == 0.8)
        #expect(TrustRegion.edgeLength(scores: Array(scores.prefix(5)), designCount: 1, dimension: 2, options: defaults) == 0.4)
    }

    @Test func theBoxIsStretchedByTheLengthScalesAndClippedToTheCube() {
        // Length scales 0.5 and 2: geometric mean 1, so the edges are 0.4·0.5 = 0.2 and 0.4·2 = 0.8.
        let box = TrustRegion(center: [0.5, 0.9], length: 0.4, lengthScales: [0.5, 2])
        #expect(abs(box.lower[0] - 0.4) < 1e-12 && abs(box.upper[0] - 0.6) < 1e-12)
        #expect(abs(box.lower[1] - 0.5) < 1e-12 && box.upper[1] == 1)
        #expect(box.clip([0, 2]) == [box.lower[0], 1])
        let mapped = box.map(fromCube: [0.5, 0])
        #expect(abs(mapped[0] - 0.5) < 1e-12 && abs(mapped[1] - 0.5) < 1e-12)
    }

    /// On Levy-10 with a trust region from d ≥ 1, every model-based proposal lies in the box around the incumbent
    /// that the same rule computes from the trials told so far (edge at most 0.8·max stretch).
    @Test func proposalsStayNearTheIncumbent() throws {
        let function = TestFunction.levy(dimension: 10)
        let region = TrustRegionOptions(minimumDimension: 1, failureTolerance: 2)
        var optimizer = BayesianOptimizer(
            space: function.searchSpace, direction: .minimize, seed: 4,
            options: .init(candidateCount: 128, localCandidateCount: 32, refinementStarts: 1, trustRegion: region)
        )
        var told: [(point: [Double], value: Double)] = []
        for round in 0..<6 {
            let proposals = try optimizer.ask(count: 4)
            if round >= 3, let scales = optimizer.lastHyperparameters?.lengthScales {
                let best = told.min { $0.value < $1.value }!
                let length = TrustRegion.edgeLength(
                    scores: told.map(\.value), designCount: 10, dimension: 10, options: region
                )
                let box = TrustRegion(center: best.point, length: length, lengthScales: scales)
                for proposal in proposals {
                    for k in 0..<10 {
                        #expect(proposal.point[k] >= box.lower[k] - 1e-9 && proposal.point[k] <= box.upper[k] + 1e-9)
                    }
                }
                #expect(length < 0.8, "the failures so far should have shrunk the region")
            }
            for proposal in proposals {
                let value = try function.value(for: proposal.assignment)
                told.append((proposal.point, value))
                try optimizer.tell(proposal.id, .completed(value))
            }
        }
    }
}
