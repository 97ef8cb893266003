import HPOMath

/// The trainer's seeded random stream (xoshiro256** seeded through SplitMix64: HPOMath's `SeededGenerator`).
///
/// An instance of its own inside HPOTrainer so that a trainer seed pins every draw (initialization, shuffling,
/// dropout masks, the stratified split) independently of other modules' generators.
/// Same seed ⇒ same stream on every platform.
struct TrainerRandom: RandomNumberGenerator {
    private var generator: SeededGenerator

    /// Creates a stream from a 64-bit seed.
    init(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
    }

    mutating func next() -> UInt64 {
        generator.next()
    }

    /// A uniform float in [0, 1) with 24 random bits.
    mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A uniform integer in `0..<bound` (`bound > 0`), without modulo bias.
    ///
    /// Lemire's multiply-and-reject method, written out (not the standard library's) so that other
    /// languages can reproduce the stream exactly: `scripts/peers/trainer.py` rebuilds the same split.
    mutating func nextIndex(below bound: Int) -> Int {
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }

    /// Shuffles `indices` in place (Fisher–Yates).
    mutating func shuffle(_ indices: inout [Int]) {
        guard indices.count > 1 else { return }
        for i in stride(from: indices.count - 1, to: 0, by: -1) {
            indices.swapAt(i, nextIndex(below: i + 1))
        }
    }
}
