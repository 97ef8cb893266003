/// A seeded, reproducible pseudo-random number generator (xoshiro256**, seeded through SplitMix64).
///
/// The same seed always gives the same stream, on every platform and in every build, so studies,
/// restarts and tests can be replayed. It is a value type: copying it forks the stream (both copies
/// then produce the same numbers), so pass it `inout` where draws must not repeat.
///
/// xoshiro256** (Blackman & Vigna, 2018) has period 2^256 − 1 and passes BigCrush; SplitMix64 spreads
/// even adjacent seeds (0, 1, 2, …) into unrelated states.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Hashable {
    @usableFromInline var state: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a generator whose stream is fully determined by `seed`.
    public init(seed: UInt64) {
        var splitMix = seed
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (nextSplitMix(), nextSplitMix(), nextSplitMix(), nextSplitMix())
    }

    /// The next 64 uniformly distributed bits.
    ///
    /// Inlinable: the trainer draws one per weight and per dropout mask element.
    @inlinable public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, by: 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, by: 45)
        return result
    }

    /// A uniform draw from [0, 1) with 53 random bits (every double of the form k·2⁻⁵³).
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform draw from the half-open interval [`low`, `high`).
    public mutating func nextUniform(in low: Double, _ high: Double) -> Double {
        low + (high - low) * nextUniform()
    }

    /// A standard normal draw (mean 0, variance 1), by the Box–Muller transform.
    ///
    /// Uses two uniform draws per call (no cached second value, so the stream position is simple to reason about).
    public mutating func nextStandardNormal() -> Double {
        let u1 = 1.0 - nextUniform()  // (0, 1]: log stays finite
        let u2 = nextUniform()
        return (-2.0 * MathFunctions.log(u1)).squareRoot() * MathFunctions.cos(2.0 * Double.pi * u2)
    }

    /// A new generator seeded from this one's stream: a cheap way to derive independent, reproducible sub-streams.
    public mutating func split() -> SeededGenerator {
        SeededGenerator(seed: next())
    }

    public static func == (lhs: SeededGenerator, rhs: SeededGenerator) -> Bool {
        lhs.state == rhs.state
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(state.0)
        hasher.combine(state.1)
        hasher.combine(state.2)
        hasher.combine(state.3)
    }
}

@inlinable @inline(__always)
func rotateLeft(_ value: UInt64, by amount: UInt64) -> UInt64 {
    (value << amount) | (value >> (64 - amount))
}
