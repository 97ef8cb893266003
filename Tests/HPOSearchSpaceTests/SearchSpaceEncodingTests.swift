import HPOMath
import HPOSearchSpace
import Testing

@Suite struct SearchSpaceEncodingTests {
    @Test func layoutGivesOneCoordinatePerNumberOneHotPerChoiceAndNoneForFixed() throws {
        let space = try mixedSpace()
        #expect(space.dimensionCount == 6 + 3 + 2)
        #expect(space.dimensions[0] == .continuous)
        #expect(space.dimensions[1] == .continuous)
        #expect(space.dimensions[2] == .discrete(levels: 10))
        #expect(space.dimensions[3] == .discrete(levels: 8))
        #expect(space.dimensions[4] == .discrete(levels: 4))
        #expect(space.dimensions[5] == .discrete(levels: 1017))
        #expect(space.dimensions[6] == .oneHot(parameter: 6, choice: 0, choices: 3))
        #expect(space.dimensions[8] == .oneHot(parameter: 6, choice: 2, choices: 3))
        #expect(space.dimensions[10] == .oneHot(parameter: 7, choice: 1, choices: 2))
        #expect(space.coordinates(ofParameter: 8).isEmpty)
        #expect(space.names == ["lr", "dropout", "momentum", "batch_size", "layers", "units", "optimizer", "nesterov", "epochs"])
    }

    @Test func encodeThenDecodeReturnsTheSameAssignment() throws {
        let space = try mixedSpace()
        let assignment: Assignment = [
            "lr": .double(1e-3), "dropout": .double(0.25), "momentum": .double(0.9), "batch_size": .int(128),
            "layers": .int(3), "units": .int(100), "optimizer": .string("adam"), "nesterov": .bool(false),
        ]
        let point = try space.encode(assignment)
        #expect(point.count == space.dimensionCount)
        #expect(point.allSatisfy { $0 >= 0 && $0 <= 1 })
        let decoded = space.decode(point)
        #expect(decoded["epochs"] == .int(50))
        #expect(decoded["batch_size"] == .int(128))
        #expect(decoded["layers"] == .int(3))
        #expect(decoded["units"] == .int(100))
        #expect(decoded["momentum"] == .double(0.9))
        #expect(decoded["optimizer"] == .string("adam"))
        #expect(decoded["nesterov"] == .bool(false))
        let lr = try #require(decoded["lr"]?.doubleValue)
        #expect(abs(lr - 1e-3) < 1e-15)
        let dropout = try #require(decoded["dropout"]?.doubleValue)
        #expect(abs(dropout - 0.25) < 1e-15)
    }

    @Test func logScaleIsLinearInLogSpace() throws {
        let space = try SearchSpace([.float("lr", 1e-4, 1e-0, log: true)])
        #expect(space.decode([0]) == ["lr": .double(1e-4)])
        #expect(space.decode([1]) == ["lr": .double(1)])
        let middle = try #require(space.decode([0.5])["lr"]?.doubleValue)
        #expect(abs(middle - 1e-2) < 1e-12)
        let quarter = try space.encode(["lr": .double(1e-3)])
        #expect(abs(quarter[0] - 0.25) < 1e-12)
    }

    @Test func integersOwnEqualSharesAndEncodeToTheirCentres() throws {
        let space = try SearchSpace([.int("n", 1, 4)])
        #expect(try space.encode(["n": .int(1)]) == [0.125])
        #expect(try space.encode(["n": .int(4)]) == [0.875])
        // Each value owns a quarter of [0, 1].
        #expect(space.decode([0.0]) == ["n": .int(1)])
        #expect(space.decode([0.2499]) == ["n": .int(1)])
        #expect(space.decode([0.25]) == ["n": .int(2)])
        #expect(space.decode([0.7499]) == ["n": .int(3)])
        #expect(space.decode([1.0]) == ["n": .int(4)])
    }

    @Test func stepsRestrictValuesToTheGrid() throws {
        let space = try SearchSpace([.int("batch", 32, 256, step: 32), .float("m", 0.1, 0.5, step: 0.1)])
        var seen = Set<Int>()
        for index in 0..<80 {
            let u = (Double(index) + 0.5) / 80
            let decoded = space.decode([u, u])
            let batch = try #require(decoded["batch"]?.intValue)
            #expect(batch % 32 == 0 && (32...256).contains(batch))
            seen.insert(batch)
            let m = try #require(decoded["m"]?.doubleValue)
            let onGrid = [0.1, 0.2, 0.3, 0.4, 0.5].contains { abs($0 - m) < 1e-12 }
            #expect(onGrid, "m = \(m) is off the grid")
        }
        #expect(seen == Set(stride(from: 32, through: 256, by: 32)))
        #expect(space.decode([1, 1])["m"] == .double(0.5))
    }

    @Test func anIntegerLogScaleAcceptsAStepOfOne() throws {
        let stepped = try SearchSpace([.int("units", 1, 1000, log: true, step: 1)])
        let plain = try SearchSpace([.int("units", 1, 1000, log: true)])
        for u in stride(from: 0.0, through: 1.0, by: 0.01) {
            #expect(stepped.decode([u]) == plain.decode([u]))
        }
        #expect(searchSpaceError { try SearchSpace([.int("units", 1, 1000, log: true, step: 2)]) }?.code == .invalidParameter)
    }

    @Test func logIntegersReachBothEndsAndStayInBounds() throws {
        let space = try SearchSpace([.int("units", 1, 1000, log: true)])
        #expect(space.decode([0]) == ["units": .int(1)])
        #expect(space.decode([1]) == ["units": .int(1000)])
        for value in [1, 2, 3, 10, 99, 500, 999, 1000] {
            let point = try space.encode(["units": .int(value)])
            #expect(space.decode(point) == ["units": .int(value)])
        }
    }

    @Test func seededRandomPointsNeverLeaveTheBounds() throws {
        let space = try mixedSpace()
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<2000 {
            // Include points outside the cube and non-finite coordinates: decode must still be valid.
            let point = (0..<space.dimensionCount).map { _ -> Double in
                switch Int.random(in: 0..<20, using: &generator) {
                case 0: .nan
                case 1: .infinity
                case 2: -Double.infinity
                case 3: Double.random(in: -3...4, using: &generator)
                default: Double.random(in: 0...1, using: &generator)
                }
            }
            let decoded = space.decode(point)
            #expect(try space.validate(decoded) == decoded)
            let snapped = space.snap(point)
            #expect(snapped.allSatisfy { $0 >= 0 && $0 <= 1 })
            #expect(space.snap(snapped) == snapped, "snap must be idempotent")
            #expect(space.decode(snapped) == decoded)
        }
    }

    @Test func oneHotDecodesToTheArgmax() throws {
        let space = try SearchSpace([.categorical("opt", [.string("sgd"), .string("adam"), .string("rmsprop")])])
        #expect(space.decode([0.1, 0.7, 0.3]) == ["opt": .string("adam")])
        #expect(space.decode([0.5, 0.5, 0.2]) == ["opt": .string("sgd")])
        #expect(space.decode([.nan, 0.1, 0.2]) == ["opt": .string("rmsprop")])
        #expect(space.snap([0.1, 0.7, 0.3]) == [0, 1, 0])
        #expect(try space.encode(["opt": .string("rmsprop")]) == [0, 0, 1])
    }

    @Test func snapEqualsEncodeOfDecode() throws {
        let space = try mixedSpace()
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<200 {
            let point = (0..<space.dimensionCount).map { _ in Double.random(in: 0...1, using: &generator) }
            #expect(space.snap(point) == (try space.encode(space.decode(point))))
        }
    }

    @Test func uniformSamplesGiveEachIntegerAnEqualShare() throws {
        let space = try SearchSpace([.int("n", 0, 4)])
        var counts = [Int](repeating: 0, count: 5)
        let samples = 10_000
        for index in 0..<samples {
            let u = (Double(index) + 0.5) / Double(samples)
            counts[try #require(space.decode([u])["n"]?.intValue)] += 1
        }
        #expect(counts == [2000, 2000, 2000, 2000, 2000])
    }

    @Test func anEmptySpaceHasNoDimensions() throws {
        let space = try SearchSpace([.fixed("epochs", .int(3))])
        #expect(space.dimensionCount == 0)
        #expect(space.decode([]) == ["epochs": .int(3)])
        #expect(try space.encode([:]) == [])
    }
}
