import HPOSearchSpace
import Testing

@Suite struct SearchSpaceChangeTests {
    private func kind(_ old: Parameter, _ new: Parameter) throws -> SearchSpaceChange.Kind? {
        try SearchSpace([new]).changes(from: SearchSpace([old])).first?.kind
    }

    @Test func anUnchangedSpaceHasNoChanges() throws {
        let space = try SearchSpace([.float("lr", 1e-4, 1e-1, log: true), .categorical("opt", [.string("sgd")])])
        #expect(space.changes(from: space).isEmpty)
    }

    @Test func widerBoundsFinerGridsAndMoreChoicesAreWidenings() throws {
        #expect(try kind(.float("x", 0, 1), .float("x", -1, 2)) == .widened)
        #expect(try kind(.float("x", 0, 1, step: 0.5), .float("x", 0, 2, step: 0.25)) == .widened)
        #expect(try kind(.float("x", 0, 1, step: 0.5), .float("x", -1, 2)) == .widened)
        #expect(try kind(.int("n", 2, 8, step: 2), .int("n", 0, 10)) == .widened)
        #expect(try kind(.int("n", 1, 8, log: true), .int("n", 1, 64, log: true)) == .widened)
        #expect(try kind(.categorical("c", [.string("a")]), .categorical("c", [.string("b"), .string("a")])) == .widened)
    }

    @Test func narrowerBoundsShiftedGridsAndLostChoicesAreNarrowings() throws {
        #expect(try kind(.float("x", 0, 1), .float("x", 0.1, 1)) == .narrowed)
        #expect(try kind(.float("x", 0, 1), .float("x", 0, 1, step: 0.5)) == .narrowed)
        #expect(try kind(.float("x", 0, 1, step: 0.5), .float("x", 0.25, 1.25, step: 0.5)) == .narrowed)
        #expect(try kind(.int("n", 0, 10), .int("n", 0, 10, step: 2)) == .narrowed)
        #expect(try kind(.int("n", 1, 10, step: 3), .int("n", 0, 12, step: 3)) == .narrowed)
        #expect(try kind(.categorical("c", [.string("a"), .string("b")]), .categorical("c", [.string("a")])) == .narrowed)
        #expect(try kind(.fixed("e", .int(5)), .fixed("e", .int(6))) == .narrowed)
    }

    @Test func anotherTypeOrScaleIsATypeChange() throws {
        #expect(try kind(.float("x", 1, 2), .int("x", 1, 2)) == .typeChanged)
        #expect(try kind(.float("x", 1, 2), .float("x", 1, 2, log: true)) == .typeChanged)
        #expect(try kind(.categorical("x", [.int(1)]), .fixed("x", .int(1))) == .typeChanged)
    }

    @Test func addedAndRemovedParametersAreNamedAndNeverKeepOldTrials() throws {
        let old = try SearchSpace([.float("a", 0, 1), .float("b", 0, 1)])
        let new = try SearchSpace([.float("b", 0, 1), .int("c", 0, 3)])
        let changes = new.changes(from: old)
        #expect(changes.map(\.parameter) == ["a", "c"])
        #expect(changes.map(\.kind) == [.removed, .added])
        #expect(changes.allSatisfy { !$0.keepsOldTrials })
        #expect(changes[0].description == "a: removed (was {type: float, low: 0.0, high: 1.0})")
    }

    @Test func theDescriptionGivesBothDefinitions() throws {
        let change = try #require(
            try SearchSpace([.float("lr", 1e-3, 1, log: true)]).changes(from: SearchSpace([.float("lr", 1e-4, 1, log: true)])).first)
        #expect(change.description == "lr: narrowed from {type: float, low: 0.0001, high: 1.0, log: true} to {type: float, low: 0.001, high: 1.0, log: true}")
    }
}
