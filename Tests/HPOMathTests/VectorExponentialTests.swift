import Foundation
import HPOMath
import Testing

/// `VectorMath.exponentiate` (the GP kernel's vectorized exp) against libm's `exp`.
@Suite struct VectorExponentialTests {
    /// Distance from libm's value in units in the last place of libm's value.
    static func ulps(_ value: Double, from reference: Double) -> Double {
        abs(value - reference) / reference.ulp
    }

    static func exponentiated(_ inputs: [Double]) -> [Double] {
        var values = inputs
        values.withUnsafeMutableBufferPointer { VectorMath.exponentiate($0) }
        return values
    }

    @Test func withinOneUlpOfLibmOverTheWholeNormalRange() {
        var generator = SeededGenerator(seed: 11)
        // The kernel's arguments (−√5·r, mostly in [−40, 0]) densely, and the whole range with normal results.
        let inputs = (0..<200_000).map { index in
            index % 2 == 0 ? generator.nextUniform(in: -40, 1) : generator.nextUniform(in: -708.3, 709.7)
        }
        let values = Self.exponentiated(inputs)
        var worst = (ulps: 0.0, x: 0.0)
        for (x, value) in zip(inputs, values) {
            let distance = Self.ulps(value, from: MathFunctions.exp(x))
            if distance > worst.ulps { worst = (distance, x) }
        }
        #expect(worst.ulps <= 1, "exp(\(worst.x)) is \(worst.ulps) ulps from libm's")
    }

    @Test func exactWhereTheAnswerIsExact() {
        #expect(Self.exponentiated([0, -0.0]) == [1, 1])
    }

    /// Chunk boundaries (256) and a tail that is not a multiple of the vector width.
    @Test(arguments: [1, 2, 3, 255, 256, 257, 1_001])
    func everyElementOfAnyLengthIsTransformed(count: Int) {
        let inputs = (0..<count).map { -Double($0) / 37 }
        let values = Self.exponentiated(inputs)
        for (x, value) in zip(inputs, values) {
            #expect(Self.ulps(value, from: MathFunctions.exp(x)) <= 1, "exp(\(x)) = \(value)")
        }
    }

    /// Outside [−708, 709] results are subnormal, zero or infinite: libm's own values, bit for bit.
    @Test func subnormalOverflowAndSpecialValuesAreLibms() {
        let inputs: [Double] = [
            -708.5, -720, -744.4, -745.2, -746, -1_000, -.infinity, 709.5, 709.78, 710, 1_000, .infinity,
            -.greatestFiniteMagnitude, .greatestFiniteMagnitude,
        ]
        let values = Self.exponentiated(inputs)
        for (x, value) in zip(inputs, values) {
            #expect(value.bitPattern == MathFunctions.exp(x).bitPattern, "exp(\(x)) = \(value), libm \(MathFunctions.exp(x))")
        }
        #expect(Self.exponentiated([.nan])[0].isNaN)
    }
}
