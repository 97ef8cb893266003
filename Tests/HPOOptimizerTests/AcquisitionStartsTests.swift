@testable import HPOOptimizer
import Testing

/// Where the acquisition starts: the best points, or the best point of each basin the data shows.
@Suite struct AcquisitionStartsTests {
    // Two basins along x (around 0.1 and 0.9) and a far single point; length scale 0.2 in both coordinates.
    private let points: [[Double]] = [[0.1, 0.5], [0.15, 0.5], [0.9, 0.5], [0.12, 0.55], [0.85, 0.5], [0.5, 0.0]]
    private let scores: [Double] = [1.0, 1.5, 2.0, 1.2, 2.5, 3.0]
    private let lengthScales = [0.2, 0.2]

    @Test func bestTakesTheBestByScore() {
        let seeds = AcquisitionStarts.best.seeds(points: points, scores: scores, lengthScales: lengthScales, limit: 3)
        #expect(seeds.indices == [0, 3, 1])
        #expect(seeds.basinCount == 1)
    }

    @Test func basinsTakeEachBasinsBestPointFirstThenTheBestOfTheRest() {
        let seeds = AcquisitionStarts.basins.seeds(points: points, scores: scores, lengthScales: lengthScales, limit: 5)
        // 0 (best), 2 (0.8 from 0: 4 length scales), 5 (far from both); 3, 1, 4 have a better point within 0.2.
        #expect(seeds.indices == [0, 2, 5, 3, 1])
        #expect(seeds.basinCount == 3)
    }

    @Test func longLengthScalesMergeTheBasins() {
        let seeds = AcquisitionStarts.basins.seeds(points: points, scores: scores, lengthScales: [5, 5], limit: 3)
        #expect(seeds.indices == [0, 3, 1])
        #expect(seeds.basinCount == 1)
    }

    @Test func noPointsNoSeeds() {
        let seeds = AcquisitionStarts.basins.seeds(points: [], scores: [], lengthScales: [1], limit: 5)
        #expect(seeds.indices.isEmpty && seeds.basinCount == 0)
    }
}
