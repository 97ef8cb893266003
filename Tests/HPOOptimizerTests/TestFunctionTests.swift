import HPOOptimizer
import HPOSearchSpace
import Testing

@Suite struct TestFunctionTests {
    /// Every function attains its documented minimum at its documented minimizer (Branin's three minimizers too),
    /// and nothing on a coarse grid of random points beats it.
    @Test(arguments: ["branin", "hartmann6", "ackley5", "levy10", "rosenbrock4", "styblinski-tang3"])
    func minimumIsAttainedAndNotBeaten(name: String) throws {
        let function = try TestFunction.named(name)
        #expect(abs(function.value(at: function.minimizer) - function.minimum) < 1e-5)
        var generator = SeededGeneratorForTests(seed: 1)
        for _ in 0..<2_000 {
            let x = function.bounds.map { $0.low + ($0.high - $0.low) * generator.nextUnit() }
            #expect(function.value(at: x) >= function.minimum - 1e-9)
        }
    }

    @Test func knownValuesFromTheLiterature() throws {
        #expect(abs(TestFunction.branin.value(at: [-Double.pi, 12.275]) - 0.397887) < 1e-6)
        #expect(abs(TestFunction.branin.value(at: [9.42478, 2.475]) - 0.397887) < 1e-6)
        #expect(abs(TestFunction.hartmann6.minimum - -3.32237) < 1e-5)
        #expect(abs(TestFunction.hartmann6.value(at: TestFunction.hartmann6.minimizer) - -3.32237) < 1e-5)
        // Values computed independently (numpy) at points away from the optimum.
        #expect(abs(TestFunction.ackley(dimension: 2).value(at: [1, 1]) - 3.6253849384403627) < 1e-12)
        #expect(abs(TestFunction.rosenbrock(dimension: 3).value(at: [0, 0, 0]) - 2) < 1e-12)
        #expect(abs(TestFunction.levy(dimension: 2).value(at: [0, 0]) - 0.7158445541169746) < 1e-12)
    }

    @Test func namesParseDimensionsAndRejectNonsense() throws {
        #expect(try TestFunction.named("Ackley-5").dimension == 5)
        #expect(try TestFunction.named("levy", dimension: 3).dimension == 3)
        #expect(try TestFunction.named("hartmann6").dimension == 6)
        #expect(try TestFunction.named("styblinski_tang", dimension: 2).minimum == -39.166_165_703_771_412 * 2)
        let unknown = #expect(throws: OptimizerError.self) { try TestFunction.named("sphere") }
        #expect(unknown?.code == .unknownTestFunction)
        #expect(unknown?.description.contains("branin") == true)
        let fixed = #expect(throws: OptimizerError.self) { try TestFunction.named("branin", dimension: 3) }
        #expect(fixed?.description.contains("2 dimensions") == true)
    }

    @Test func searchSpaceAndAssignmentsMatchTheDomain() throws {
        let function = try TestFunction.named("rosenbrock", dimension: 3)
        #expect(function.searchSpace.names == ["x0", "x1", "x2"])
        let assignment = function.searchSpace.decode([1, 0, 0.4])
        #expect(assignment["x0"] == .double(10))
        #expect(assignment["x1"] == .double(-5))
        #expect(try function.value(for: assignment) == function.value(at: [10, -5, 1]))
        let missing = #expect(throws: OptimizerError.self) { try function.value(for: ["x0": .double(1)]) }
        #expect(missing?.description.contains("x1") == true)
    }
}

/// A tiny independent generator so this test does not lean on the optimizer's own.
struct SeededGeneratorForTests {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func nextUnit() -> Double {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Double(state >> 11) / Double(1 << 53)
    }
}
