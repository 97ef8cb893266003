@testable import HPOOptimizer
import HPOMath
import Testing

@Suite struct DescendingRankingTests {
    /// Every position reads what the full sort gives, for any sorted prefix (none, some, all, more than all), with
    /// many ties and infinities, and reading positions past the prefix sorts the rest; the tail from any position
    /// holds the same indices as the full order's tail.
    @Test(arguments: [0, 1, 7, 50, 199, 200, 500])
    func everyPositionMatchesTheFullSort(sortedPrefix: Int) {
        var generator = SeededGenerator(seed: UInt64(sortedPrefix) + 3)
        for trial in 0..<20 {
            let count = trial == 0 ? 1 : 200
            let scores: [Double] = (0..<count).map { _ in
                switch generator.nextUniform() {
                case ..<0.05: -.infinity
                case ..<0.1: .infinity
                case ..<0.5: Double(Int(generator.nextUniform() * 10))  // ties
                default: generator.nextStandardNormal()
                }
            }
            let full = AcquisitionMaximizer.descendingOrder(scores)
            var ranking = DescendingRanking(scores, sortedPrefix: sortedPrefix)
            #expect(ranking.count == count)
            let split = min(sortedPrefix, count - 1)
            #expect(Set(ranking.indices(from: split)) == Set(full[split...]))
            #expect((0..<count).map { ranking.index(at: $0) } == full)
        }
    }

    /// The full order itself: highest first, ties in index order.
    @Test func theFullOrderBreaksTiesByIndex() {
        #expect(AcquisitionMaximizer.descendingOrder([1, 3, 3, -.infinity, 2, 3]) == [1, 2, 5, 4, 0, 3])
    }
}
