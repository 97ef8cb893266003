import HPOMath
import Testing

@Suite struct SeededGeneratorTests {
    @Test func sameSeedGivesSameStreamAndDifferentSeedsDiffer() {
        var a = SeededGenerator(seed: 42)
        var b = SeededGenerator(seed: 42)
        var c = SeededGenerator(seed: 43)
        let streamA = (0..<100).map { _ in a.next() }
        let streamB = (0..<100).map { _ in b.next() }
        let streamC = (0..<100).map { _ in c.next() }
        #expect(streamA == streamB)
        #expect(zip(streamA, streamC).filter { $0 == $1 }.isEmpty)
    }

    @Test func streamIsPinnedAcrossBuilds() {
        // Pinned values: a change here silently changes every seeded study, so it must be deliberate.
        var generator = SeededGenerator(seed: 0)
        let first = (0..<3).map { _ in generator.next() }
        var again = SeededGenerator(seed: 0)
        #expect(first == (0..<3).map { _ in again.next() })
        #expect(first == SeededGeneratorTests.pinnedSeedZero)
    }

    static let pinnedSeedZero: [UInt64] = [11_091_344_671_253_066_420, 13_793_997_310_169_335_082, 1_900_383_378_846_508_768]

    @Test func uniformDrawsStayInTheUnitIntervalWithTheRightMoments() {
        var generator = SeededGenerator(seed: 7)
        let draws = (0..<100_000).map { _ in generator.nextUniform() }
        #expect(draws.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = draws.reduce(0, +) / Double(draws.count)
        let variance = draws.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(draws.count)
        #expect(abs(mean - 0.5) < 0.005)
        #expect(abs(variance - 1.0 / 12.0) < 0.002)
    }

    @Test func normalDrawsHaveMeanZeroAndUnitVariance() {
        var generator = SeededGenerator(seed: 11)
        let draws = (0..<100_000).map { _ in generator.nextStandardNormal() }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let variance = draws.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(draws.count)
        let fractionBelowOne = Double(draws.filter { $0 < 1 }.count) / Double(draws.count)
        #expect(abs(mean) < 0.01)
        #expect(abs(variance - 1) < 0.02)
        #expect(abs(fractionBelowOne - Normal.cdf(1)) < 0.005)
    }

    @Test func worksWithStandardLibraryRandomAPIs() {
        var a = SeededGenerator(seed: 5)
        var b = SeededGenerator(seed: 5)
        #expect(Array(0..<20).shuffled(using: &a) == Array(0..<20).shuffled(using: &b))
        #expect(Int.random(in: 0..<1000, using: &a) == Int.random(in: 0..<1000, using: &b))
    }

    @Test func splitGivesReproducibleIndependentStreams() {
        var parent1 = SeededGenerator(seed: 3)
        var parent2 = SeededGenerator(seed: 3)
        var child1 = parent1.split()
        var child2 = parent2.split()
        #expect(child1.next() == child2.next())
        #expect(parent1.next() != child1.next())
    }
}
