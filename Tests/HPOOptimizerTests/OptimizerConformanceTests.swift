import HPOOptimizer
import HPOSearchSpace
import Testing

/// What every ``Optimizer`` guarantees (Optuna's `pytest_samplers` idea): one suite, every conformer.
@Suite struct OptimizerConformanceTests {
    @Test(arguments: OptimizerKind.allCases)
    func proposalsAreValidDistinctAndNumberedInOrder(kind: OptimizerKind) throws {
        var optimizer = kind.make(space: Spaces.mixed)
        var seen: Set<[Double]> = []
        var expectedID = 0
        for round in 0..<4 {
            let batch = try optimizer.ask(count: 3)
            #expect(batch.count == 3)
            for proposal in batch {
                #expect(proposal.id == TrialID(expectedID))
                expectedID += 1
                #expect(try Spaces.mixed.validate(proposal.assignment) == proposal.assignment)
                #expect(try Spaces.mixed.encode(proposal.assignment) == proposal.point)
                #expect(proposal.point.allSatisfy { (0...1).contains($0) })
                #expect(proposal.assignment["epochs"] == .int(10))
                #expect(seen.insert(proposal.point).inserted, "round \(round): \(proposal.assignment) repeats a point")
            }
            // Leave the last of each batch pending; the next batch must still avoid it.
            for proposal in batch.dropLast() {
                try optimizer.tell(proposal.id, .completed(Spaces.mixedObjective(proposal.assignment)))
            }
        }
    }

    @Test(arguments: OptimizerKind.allCases)
    func sameSeedAndCallsGiveSameProposals(kind: OptimizerKind) throws {
        func run(seed: UInt64) throws -> [Proposal] {
            var optimizer = kind.make(space: Spaces.mixed, seed: seed)
            var all: [Proposal] = []
            for _ in 0..<4 {
                let batch = try optimizer.ask(count: 2)
                all += batch
                try optimizer.tell(batch[0].id, .completed(Spaces.mixedObjective(batch[0].assignment)))
                try optimizer.tell(batch[1].id, .failed(reason: "diverged"))
            }
            return all + (try optimizer.ask(count: 2))
        }
        let first = try run(seed: 11)
        #expect(try run(seed: 11) == first)
        #expect(try run(seed: 12) != first)
    }

    @Test(arguments: OptimizerKind.allCases)
    func tellIsIdempotentAndRejectsWhatItCannotUse(kind: OptimizerKind) throws {
        var optimizer = kind.make(space: Spaces.mixed)
        let batch = try optimizer.ask(count: 2)
        try optimizer.tell(batch[0].id, .completed(0.5))
        try optimizer.tell(batch[0].id, .completed(0.5))  // a repeat is a no-op

        let conflict = #expect(throws: OptimizerError.self) { try optimizer.tell(batch[0].id, .completed(0.6)) }
        #expect(conflict?.code == .conflictingResult)
        #expect(conflict?.description.contains("0.5") == true && conflict?.description.contains("0.6") == true)

        let unknown = #expect(throws: OptimizerError.self) { try optimizer.tell(TrialID(99), .completed(1)) }
        #expect(unknown?.code == .unknownTrial)
        #expect(unknown?.description.contains("#99") == true)

        for bad in [Double.nan, .infinity, -.infinity] {
            let error = #expect(throws: OptimizerError.self) { try optimizer.tell(batch[1].id, .completed(bad)) }
            #expect(error?.code == .nonFiniteValue)
        }
        // The rejected tells changed nothing: trial 1 can still be told, once.
        try optimizer.tell(batch[1].id, .failed(reason: "out of memory"))
        try optimizer.tell(batch[1].id, .failed(reason: "out of memory again"))
        let late = #expect(throws: OptimizerError.self) { try optimizer.tell(batch[1].id, .completed(0.1)) }
        #expect(late?.code == .conflictingResult)

        let negative = #expect(throws: OptimizerError.self) { try optimizer.ask(count: -1) }
        #expect(negative?.code == .invalidArgument)
        #expect(try optimizer.ask(count: 0).isEmpty)
    }

    @Test(arguments: OptimizerKind.allCases)
    func registerWarmStartsAndIdsSkipPastIt(kind: OptimizerKind) throws {
        var optimizer = kind.make(space: Spaces.mixed)
        let known: Assignment = [
            "learning_rate": .double(0.01), "dropout": .double(0.1), "momentum": .double(0.9), "layers": .int(2),
            "width": .int(64), "activation": .string("relu"), "batch_norm": .bool(true),
        ]
        try optimizer.register(known, as: TrialID(5), outcome: .completed(1.2))
        try optimizer.register(known, as: TrialID(5), outcome: .completed(1.2))  // replaying a journal twice
        var pending = known
        pending["layers"] = .int(3)
        try optimizer.register(pending, as: TrialID(6), outcome: nil)
        try optimizer.register(pending, as: TrialID(6), outcome: nil)

        var moved = known
        moved["dropout"] = .double(0.3)
        let conflict = #expect(throws: OptimizerError.self) {
            try optimizer.register(moved, as: TrialID(5), outcome: .completed(1))
        }
        #expect(conflict?.code == .conflictingAssignment)
        var invalid = known
        invalid["layers"] = .int(9)
        let outOfBounds = #expect(throws: OptimizerError.self) {
            try optimizer.register(invalid, as: TrialID(7), outcome: nil)
        }
        #expect(outOfBounds?.code == .invalidAssignment)
        #expect(outOfBounds?.description.contains("layers") == true)

        let batch = try optimizer.ask(count: 3)
        #expect(batch.map(\.id) == [TrialID(7), TrialID(8), TrialID(9)])
        let knownPoint = try Spaces.mixed.encode(known)
        let pendingPoint = try Spaces.mixed.encode(pending)
        #expect(batch.allSatisfy { $0.point != knownPoint && $0.point != pendingPoint })
        // A registered pending trial is told like any other.
        try optimizer.tell(TrialID(6), .completed(0.9))
    }

    @Test(arguments: OptimizerKind.allCases)
    func aUsedUpDiscreteSpaceYieldsFewerProposals(kind: OptimizerKind) throws {
        var optimizer = kind.make(space: Spaces.tiny)
        let first = try optimizer.ask(count: 4)
        for proposal in first { try optimizer.tell(proposal.id, .completed(Double(proposal.id.rawValue))) }
        let rest = try optimizer.ask(count: 4)
        #expect(first.count == 4)
        #expect(rest.count == 2)
        #expect(Set((first + rest).map(\.point)).count == 6)
        #expect(try optimizer.ask(count: 1).isEmpty)
    }
}
