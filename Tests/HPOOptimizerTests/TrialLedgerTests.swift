import Foundation
import HPOOptimizer
import HPOSearchSpace
import Testing

@Suite struct TrialLedgerTests {
    @Test func trialIDEncodesAsABareInteger() throws {
        let data = try JSONEncoder().encode([TrialID(3), TrialID(12)])
        #expect(String(decoding: data, as: UTF8.self) == "[3,12]")
        #expect(try JSONDecoder().decode([TrialID].self, from: data) == [TrialID(3), TrialID(12)])
        #expect(TrialID(3).description == "#3")
        #expect(TrialID(3) < TrialID(12))
    }

    /// A journal replayed out of order still yields trials in id order, and the next id is one past the largest.
    @Test func outOfOrderRegistrationKeepsIDOrder() throws {
        var ledger = TrialLedger(space: Spaces.tiny)
        try ledger.register(["a": .int(1), "b": .string("z")], as: TrialID(4), outcome: .completed(2))
        try ledger.register(["a": .int(0), "b": .string("x")], as: TrialID(1), outcome: nil)
        try ledger.register(["a": .int(1), "b": .string("x")], as: TrialID(2), outcome: .failed(reason: "oom"))
        #expect(ledger.records.map(\.id) == [TrialID(1), TrialID(2), TrialID(4)])
        #expect(ledger.pending.map(\.id) == [TrialID(1)])
        #expect(ledger.completed.map(\.value) == [2])
        #expect(ledger.nextID == 5)
        // Registering a pending trial again with its outcome completes it.
        #expect(try ledger.register(["a": .int(0), "b": .string("x")], as: TrialID(1), outcome: .completed(7)))
        #expect(ledger.pending.isEmpty)
        #expect(ledger.record(TrialID(1))?.outcome == .completed(7))
        let negative = #expect(throws: OptimizerError.self) {
            try ledger.register(["a": .int(0), "b": .string("y")], as: TrialID(-1), outcome: nil)
        }
        #expect(negative?.code == .invalidArgument)
    }

    /// An int given as an integral double is the same trial (validation canonicalizes before comparing).
    @Test func canonicalAssignmentsMatch() throws {
        var ledger = TrialLedger(space: Spaces.tiny)
        try ledger.register(["a": .int(1), "b": .string("y")], as: TrialID(0), outcome: nil)
        #expect(try !ledger.register(["a": .double(1), "b": .string("y")], as: TrialID(0), outcome: nil))
        #expect(ledger.contains(point: try Spaces.tiny.encode(["a": .int(1), "b": .string("y")])))
    }
}
