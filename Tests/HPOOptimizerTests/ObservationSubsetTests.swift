import HPOMath
import HPOOptimizer
import Testing

/// The subset of data a large study's GP is built on: deterministic, the best kept, the incumbents' neighbourhood
/// kept, the rest spread over the space.
@Suite struct ObservationSubsetTests {
    /// n random points in [0, 1]^d with scores unrelated to position (so the best points' neighbours are not
    /// themselves among the best, and only the neighbourhood rule can keep them).
    private static func data(n: Int, d: Int, seed: UInt64) -> (points: [[Double]], scores: [Double]) {
        var generator = SeededGenerator(seed: seed)
        let points = (0..<n).map { _ in (0..<d).map { _ in generator.nextUniform() } }
        let scores = (0..<n).map { _ in generator.nextStandardNormal() }
        return (points, scores)
    }

    @Test func keepsEveryObservationUpToTheLimit() {
        let (points, scores) = Self.data(n: 50, d: 3, seed: 1)
        #expect(ObservationSubset.select(points: points, scores: scores, limit: 50, seed: 9) == Array(0..<50))
        #expect(ObservationSubset.select(points: points, scores: scores, limit: 80, seed: 9) == Array(0..<50))
    }

    @Test func sameInputsAndSeedGiveTheSameSubsetOfTheLimitsSize() {
        let (points, scores) = Self.data(n: 2_000, d: 4, seed: 2)
        let first = ObservationSubset.select(points: points, scores: scores, limit: 200, seed: 7)
        let again = ObservationSubset.select(points: points, scores: scores, limit: 200, seed: 7)
        let otherSeed = ObservationSubset.select(points: points, scores: scores, limit: 200, seed: 8)
        #expect(first == again)
        #expect(first.count == 200)
        #expect(Set(first).count == 200, "indices repeat")
        #expect(first == first.sorted())
        #expect(first.allSatisfy { (0..<2_000).contains($0) })
        #expect(first != otherSeed, "the random remainder ignores the seed")
        // Only the random remainder (half the subset) depends on the seed.
        #expect(Set(first).intersection(otherSeed).count >= 100)
    }

    @Test func keepsTheBestQuarterByScore() {
        let (points, scores) = Self.data(n: 3_000, d: 5, seed: 3)
        let subset = Set(ObservationSubset.select(points: points, scores: scores, limit: 400, seed: 1))
        let best = scores.indices.sorted { scores[$0] < scores[$1] }.prefix(100)
        #expect(best.allSatisfy(subset.contains), "missing: \(best.filter { !subset.contains($0) })")
    }

    /// The best point's nearest observations stay in the subset though their scores are ordinary: a random choice
    /// of 200 out of 2,000 would keep all ten with probability about 10⁻¹⁰.
    @Test func keepsTheNearestNeighboursOfTheBestPoint() {
        let (points, scores) = Self.data(n: 2_000, d: 3, seed: 4)
        let subset = Set(ObservationSubset.select(points: points, scores: scores, limit: 200, seed: 1))
        let bestIndex = scores.indices.min { scores[$0] < scores[$1] }!
        let nearest = points.indices.filter { $0 != bestIndex }
            .sorted { Self.distance(points[$0], points[bestIndex]) < Self.distance(points[$1], points[bestIndex]) }
            .prefix(10)
        #expect(nearest.allSatisfy(subset.contains), "missing neighbours: \(nearest.filter { !subset.contains($0) })")
    }

    /// The remainder covers the space: every octant of the unit cube keeps some observations.
    @Test func theRemainderSpreadsOverTheSpace() {
        let (points, scores) = Self.data(n: 4_000, d: 3, seed: 5)
        let subset = ObservationSubset.select(points: points, scores: scores, limit: 200, seed: 1)
        var perOctant = [Int](repeating: 0, count: 8)
        for index in subset {
            let octant = points[index].enumerated().reduce(0) { $0 | ($1.element < 0.5 ? 0 : 1 << $1.offset) }
            perOctant[octant] += 1
        }
        #expect(perOctant.allSatisfy { $0 >= 5 }, "observations per octant: \(perOctant)")
    }

    private static func distance(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    }
}
