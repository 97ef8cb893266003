import Foundation
import HPOMath
import Testing

/// `VectorKernels.matern52` (the GP kernel's vectorized pass), every instruction set this CPU runs, against the
/// formula with libm's `exp`.
@Suite struct VectorKernelsTests {
    static let sqrt5 = 5.0.squareRoot()
    static let supported = VectorKernels.InstructionSet.allCases.filter(\.isSupported)

    /// signal·m(r) and signal·g(r) with libm's exp.
    static func reference(_ r2: Double, signal: Double) -> (value: Double, factor: Double) {
        let clamped = r2 < 0 ? 0 : r2
        let r = clamped.squareRoot()
        let e = MathFunctions.exp(-sqrt5 * r)
        return (signal * ((1 + sqrt5 * r + 5.0 / 3.0 * clamped) * e), signal * (5.0 / 3.0 * (1 + sqrt5 * r) * e))
    }

    static func transformed(
        _ squaredDistances: [Double], signal: Double, _ set: VectorKernels.InstructionSet
    ) -> (values: [Double], factors: [Double]) {
        var values = squaredDistances
        var factors = [Double](repeating: .nan, count: values.count)
        values.withUnsafeMutableBufferPointer { values in
            factors.withUnsafeMutableBufferPointer { factors in
                VectorKernels.matern52(values, scratch: factors, signal: signal, derivativeFactors: true, instructionSet: set)
            }
        }
        return (values, factors)
    }

    /// Relative distance, 0 when both are the same value or both NaN.
    static func relativeError(_ value: Double, _ reference: Double) -> Double {
        if value == reference || (value.isNaN && reference.isNaN) { return 0 }
        return abs(value - reference) / max(abs(reference), .leastNormalMagnitude)
    }

    /// The exponential is within 1 ulp of libm's and the polynomial takes a few roundings (fused or not):
    /// 10⁻¹⁴ relative catches any wrong constant or term while allowing FMA's other rounding.
    @Test(arguments: supported)
    func matchesTheFormulaWithLibmsExp(set: VectorKernels.InstructionSet) {
        var generator = SeededGenerator(seed: 5)
        // The GP's scaled distances (mostly r² < 60) densely, then far ones up to where e^(−√5·r) underflows.
        let inputs = (0..<50_000).map { index in
            index % 3 == 0 ? generator.nextUniform(in: 0, 100_000) : generator.nextUniform(in: 0, 60)
        }
        let signal = 1.7
        let (values, factors) = Self.transformed(inputs, signal: signal, set)
        var worst = (error: 0.0, r2: 0.0)
        for (index, r2) in inputs.enumerated() {
            let expected = Self.reference(r2, signal: signal)
            let error = max(
                Self.relativeError(values[index], expected.value), Self.relativeError(factors[index], expected.factor))
            if error > worst.error { worst = (error, r2) }
        }
        #expect(worst.error <= 1e-14, "\(set.rawValue): r² = \(worst.r2) is off by \(worst.error) (relative)")
    }

    /// Every element of any length: vector bodies, remainders, one element.
    @Test(arguments: supported, [1, 2, 3, 5, 8, 257, 1_001])
    func everyElementOfAnyLengthIsTransformed(set: VectorKernels.InstructionSet, count: Int) {
        let inputs = (0..<count).map { Double($0) / 37 }
        let (values, factors) = Self.transformed(inputs, signal: 0.5, set)
        for (index, r2) in inputs.enumerated() {
            let expected = Self.reference(r2, signal: 0.5)
            #expect(Self.relativeError(values[index], expected.value) <= 1e-14, "r² = \(r2): \(values[index])")
            #expect(Self.relativeError(factors[index], expected.factor) <= 1e-14, "r² = \(r2): \(factors[index])")
        }
    }

    /// Rounding noise below 0 reads as 0 (m = 1, g = 5/3), NaN stays NaN, and where e^(−√5·r) is subnormal or 0
    /// the result is libm's.
    @Test(arguments: supported)
    func edgesOfTheRange(set: VectorKernels.InstructionSet) {
        let inputs: [Double] = [-1e-17, -0.0, 0, 100_000, 100_300, 101_000, 150_000, 1e6, 1e300, .infinity, .nan]
        let (values, factors) = Self.transformed(inputs, signal: 2, set)
        #expect(values[0] == 2 && values[1] == 2 && values[2] == 2)
        #expect(factors[0] == 2 * 5.0 / 3.0)
        for (index, r2) in inputs.enumerated() {
            let expected = Self.reference(r2, signal: 2)
            #expect(Self.relativeError(values[index], expected.value) <= 1e-14, "r² = \(r2): \(values[index]) vs \(expected.value)")
            #expect(Self.relativeError(factors[index], expected.factor) <= 1e-14, "r² = \(r2): \(factors[index])")
        }
        #expect(values[10].isNaN && factors[10].isNaN)
        #expect(values[7] == 0 && values[8] == 0)
    }

    /// The AVX-512 build gives the AVX2 + FMA build's bits: the transform is element-wise, so only the vector width
    /// differs (odd lengths cover both builds' remainder loops; 10⁵ and beyond take the far path).
    @Test(.enabled(if: supported.contains(.avx512), "this CPU runs no AVX-512: nothing to compare"),
          arguments: [1, 7, 17, 1_001])
    func theAVX512BuildGivesTheAVX2Bits(count: Int) {
        var generator = SeededGenerator(seed: UInt64(count))
        let near = (0..<count).map { _ in generator.nextUniform(in: 0, 40) }
        for squaredDistances in [near, near + [-1e-17, 1e5, 2e5, .nan]] {
            let wide = Self.transformed(squaredDistances, signal: 1.7, .avx512)
            let narrow = Self.transformed(squaredDistances, signal: 1.7, .avx2FMA)
            #expect(wide.values.map(\.bitPattern) == narrow.values.map(\.bitPattern))
            #expect(wide.factors.map(\.bitPattern) == narrow.factors.map(\.bitPattern))
        }
    }

    /// A CPU whose flags list AVX2 and FMA runs the AVX2 + FMA kernels by default, and the AVX-512 ones when its
    /// flags also list AVX-512 F, CD, BW, DQ and VL.
    @Test func aCPUWithAVX2AndFMAUsesThem() throws {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        guard let flags = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else {
            print("skipped: no x86 flags line in /proc/cpuinfo (not an x86-64 Linux machine)")
            return
        }
        let words = Set(flags.split(separator: " ").map(String.init))
        let avx512 = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(words.contains)
        let expected: VectorKernels.InstructionSet =
            words.contains("avx2") && words.contains("fma") ? (avx512 ? .avx512 : .avx2FMA) : .generic
        #expect(VectorKernels.InstructionSet.widestSupported == expected)
    }

    /// Selecting a set changes what later calls use; a set the CPU lacks is refused with a message naming both.
    @Test func selectingASet() throws {
        let before = VectorKernels.selected
        defer { try? VectorKernels.select(before) }
        for set in Self.supported {
            try VectorKernels.select(set)
            #expect(VectorKernels.selected == set)
        }
        for set in VectorKernels.InstructionSet.allCases where !set.isSupported {
            #expect(throws: MathError.self) { try VectorKernels.select(set) }
        }
    }
}
