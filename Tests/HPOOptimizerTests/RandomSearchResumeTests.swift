import HPOOptimizer
import HPOSearchSpace
import Testing

/// A resumed random search continues its sequence (issue #7 §5): handed the trials of an earlier run, it proposes
/// new points, never the old ones, and it stops proposing only when the space is used up.
@Suite struct RandomSearchResumeTests {
    static let space = try! SearchSpace([.float("x", 0, 1), .int("y", 0, 1000)])

    /// Proposals one at a time, each told completed.
    static func run(_ optimizer: inout RandomSearch, count: Int) throws -> [Proposal] {
        var proposals: [Proposal] = []
        for _ in 0..<count {
            let batch = try optimizer.ask(count: 1)
            guard let proposal = batch.first else { break }
            try optimizer.tell(proposal.id, .completed(0))
            proposals.append(proposal)
        }
        return proposals
    }

    /// Resumed after 3,000 told trials (more than the 1,000 redraws that used to end a resumed study), a fresh
    /// optimizer with the same seed proposes 3,000 more, all new, and exactly those an uninterrupted run proposes.
    @Test(arguments: [1, 999, 3_000])
    func resumeContinuesTheSequence(known: Int) throws {
        var uninterrupted = RandomSearch(space: Self.space, direction: .minimize, seed: 5)
        let reference = try Self.run(&uninterrupted, count: known + 3_000)
        #expect(reference.count == known + 3_000)

        var resumed = RandomSearch(space: Self.space, direction: .minimize, seed: 5)
        for proposal in reference.prefix(known) {
            try resumed.register(proposal.assignment, as: proposal.id, outcome: .completed(0))
        }
        let continued = try Self.run(&resumed, count: 3_000)
        #expect(continued.count == 3_000)
        #expect(continued.first?.id == TrialID(known))
        let old = Set(reference.prefix(known).map(\.point))
        #expect(continued.allSatisfy { !old.contains($0.point) })
        #expect(Set(continued.map(\.point)).count == continued.count)
        #expect(continued.map(\.point) == reference.dropFirst(known).map(\.point))
    }

    /// Registered trials with gaps in their ids and pending ones (a journal with re-queued trials) are avoided too.
    @Test func pendingAndOutOfOrderTrialsAreAvoided() throws {
        var first = RandomSearch(space: Self.space, direction: .minimize, seed: 9)
        let earlier = try first.ask(count: 500)
        var resumed = RandomSearch(space: Self.space, direction: .minimize, seed: 9)
        for proposal in earlier.reversed() where proposal.id.rawValue % 3 != 0 {
            try resumed.register(proposal.assignment, as: proposal.id, outcome: proposal.id.rawValue % 2 == 0 ? nil : .completed(1))
        }
        let next = try resumed.ask(count: 200)
        #expect(next.count == 200)
        #expect(next.first?.id == TrialID(500))
        let known = Set(earlier.map(\.point))
        #expect(next.allSatisfy { !known.contains($0.point) })
    }

    /// A small discrete space (10 × 5 × 3 = 150 points) is used up exactly: every point once, then no more, also
    /// across a resume; collisions near the end never stop it early.
    @Test func aFiniteSpaceIsUsedUpExactlyOnce() throws {
        let space = try SearchSpace([
            .int("a", 0, 9), .float("b", 0, 1, step: 0.25), .categorical("c", [.string("p"), .string("q"), .bool(true)]),
        ])
        var optimizer = RandomSearch(space: space, direction: .minimize, seed: 2)
        var proposals: [Proposal] = []
        for _ in 0..<100 {
            let proposal = try #require(try optimizer.ask())
            try optimizer.tell(proposal.id, .completed(0))
            proposals.append(proposal)
        }
        var resumed = RandomSearch(space: space, direction: .minimize, seed: 2)
        for proposal in proposals {
            try resumed.register(proposal.assignment, as: proposal.id, outcome: .completed(0))
        }
        proposals += try resumed.ask(count: 80)
        #expect(proposals.count == 150)
        #expect(Set(proposals.map(\.point)).count == 150)
        #expect(try resumed.ask(count: 1).isEmpty)
    }

    /// A finite space larger than the enumeration limit keeps drawing until it finds an untried point.
    @Test func aLargeFiniteSpaceNeverGivesUpWhileItHasRoom() throws {
        let space = try SearchSpace([.int("a", 0, 99_999)])
        var optimizer = RandomSearch(space: space, direction: .minimize, seed: 4)
        // Every point but 10 is known (registered as failed): thousands of collisions per proposal.
        for value in 0..<99_990 {
            try optimizer.register(["a": .int(value)], as: TrialID(value), outcome: .failed(reason: "known"))
        }
        let last = try optimizer.ask(count: 20)
        #expect(Set(last.map { $0.assignment["a"] }) == Set((99_990..<100_000).map { ParameterValue.int($0) }))
    }

    @Test func streamsDifferByIndexAndSeed() {
        let seeds = Set((0..<1_000).map { RandomSearch.streamSeed(7, index: $0) } + [RandomSearch.streamSeed(8, index: 0)])
        #expect(seeds.count == 1_001)
    }
}
