/// A scrambled (or plain) Sobol low-discrepancy sequence in [0, 1)^d.
///
/// Direction numbers are Joe & Kuo's `new-joe-kuo-6.21201` for up to `SobolSequence.maximumDimension` (1024)
/// dimensions; each coordinate carries 52 bits, so every point is exactly a double k·2⁻⁵² and 2⁵² points can be drawn
/// before the sequence repeats. Points are generated in Gray-code order (one XOR per coordinate per point).
///
/// With a `scrambleSeed`, each dimension gets a random linear matrix scramble (a random lower-triangular binary matrix
/// with unit diagonal applied to the direction numbers) followed by a random digital shift, as in SciPy's
/// `qmc.Sobol(scramble=True)` (Matoušek 1998; Owen 2003). This keeps the net properties: the first 2^m points still put
/// exactly one point in each of the 2^m equal intervals of every coordinate, and it removes the point at the origin
/// and the alignment of the plain sequence. Without a seed the sequence is the classic one: 0, ½, ¾, ¼, …
public struct SobolSequence: Sendable {
    /// The largest dimension the built-in direction numbers support.
    public static let maximumDimension = SobolDirectionNumbers.dimensionLimit

    /// Bits per coordinate.
    static let bitCount = 52

    /// The number of coordinates of each point.
    public let dimension: Int
    /// How many points have been drawn so far (the index of the next point).
    public private(set) var index: UInt64 = 0

    /// directions[j * dimension + d]: the j-th (possibly scrambled) direction number of dimension d, bit 51 = ½.
    private let directions: [UInt64]
    private let shift: [UInt64]
    private var state: [UInt64]

    /// Creates a sequence of points in [0, 1)^`dimension`.
    ///
    /// - Parameters:
    ///   - dimension: 1…1024 coordinates per point.
    ///   - scrambleSeed: seeds the linear matrix scramble and digital shift; `nil` gives the unscrambled sequence.
    /// - Throws: `MathError.invalidArgument` if `dimension` is outside 1…1024.
    public init(dimension: Int, scrambleSeed: UInt64?) throws(MathError) {
        guard dimension >= 1, dimension <= Self.maximumDimension else {
            throw MathError(
                .invalidArgument,
                "Sobol sequence dimension must be in 1...\(Self.maximumDimension), got \(dimension); "
                    + "reduce the number of encoded dimensions (one-hot categoricals add one per choice) "
                    + "or sample with a seeded uniform generator instead")
        }
        self.dimension = dimension
        let bits = Self.bitCount
        var plain = [[UInt64]](repeating: [], count: dimension)
        plain[0] = (0..<bits).map { j in UInt64(1) << UInt64(bits - 1 - j) }
        for d in 1..<max(dimension, 1) {
            plain[d] = Self.unscrambledDirections[d - 1]
        }
        var shift = [UInt64](repeating: 0, count: dimension)
        if let scrambleSeed {
            var generator = SeededGenerator(seed: scrambleSeed)
            let mask: UInt64 = (UInt64(1) << UInt64(bits)) - 1
            for d in 0..<dimension {
                plain[d] = Self.linearMatrixScramble(plain[d], bits: bits, generator: &generator)
                shift[d] = generator.next() & mask
            }
        }
        var directions = [UInt64](repeating: 0, count: bits * dimension)
        for d in 0..<dimension {
            for j in 0..<bits { directions[j * dimension + d] = plain[d][j] }
        }
        self.directions = directions
        self.shift = shift
        self.state = shift
    }

    /// Returns the next point, each coordinate in [0, 1).
    ///
    /// - Complexity: O(d).
    public mutating func next() -> [Double] {
        let point = state.map { Double($0) * 0x1.0p-52 }
        advance()
        return point
    }

    /// Returns the next `count` points (count × d).
    public mutating func next(count: Int) -> [[Double]] {
        (0..<max(0, count)).map { _ in next() }
    }

    /// Skips `count` points in O(d · 52), as if `next()` had been called `count` times.
    public mutating func skip(_ count: UInt64) {
        index &+= count
        let gray = index ^ (index >> 1)
        state = shift
        var bits = gray
        var j = 0
        while bits != 0 {
            if bits & 1 == 1 {
                for d in 0..<dimension { state[d] ^= directions[j * dimension + d] }
            }
            bits >>= 1
            j += 1
        }
    }

    private mutating func advance() {
        // Gray-code order: point n+1 differs from point n by direction number c = (trailing zeros of n+1).
        let c = (index &+ 1).trailingZeroBitCount
        index &+= 1
        if c >= Self.bitCount {
            state = shift  // 2^52 points drawn: the sequence starts over.
            return
        }
        let base = c * dimension
        for d in 0..<dimension { state[d] ^= directions[base + d] }
    }

    /// Direction numbers of dimensions 2…1024, parsed and expanded once on first use (Swift initializes a static `let`
    /// lazily and thread-safely), so creating a sequence costs O(d·52) instead of re-parsing the 44 kB table.
    static let unscrambledDirections: [[UInt64]] = SobolDirectionNumbers.table
        .split(separator: "\n", omittingEmptySubsequences: true)
        .map { line in
            let numbers = line.split(separator: " ").map { UInt64($0)! }
            return directionNumbers(polynomial: numbers[0], initial: Array(numbers.dropFirst()), bits: bitCount)
        }

    /// Expands Joe–Kuo initial numbers m₁…m_s into `bits` direction numbers vⱼ = mⱼ·2^(bits−j) (j from 1).
    static func directionNumbers(polynomial: UInt64, initial: [UInt64], bits: Int) -> [UInt64] {
        let degree = 63 - polynomial.leadingZeroBitCount
        var m = [UInt64](repeating: 0, count: bits)
        for j in 0..<min(degree, bits) { m[j] = initial[j] }
        if degree < bits {
            for j in degree..<bits {
                // m_j = 2^s·m_{j−s} ⊕ m_{j−s} ⊕ ⨁_{k=1}^{s−1} 2^k·a_k·m_{j−k}, with a_k the polynomial's inner coefficients.
                var value = m[j - degree] ^ (m[j - degree] << UInt64(degree))
                for k in 1..<degree where (polynomial >> UInt64(degree - k)) & 1 == 1 {
                    value ^= m[j - k] << UInt64(k)
                }
                m[j] = value
            }
        }
        return (0..<bits).map { j in m[j] << UInt64(bits - 1 - j) }
    }

    /// Applies a random lower-triangular binary matrix with unit diagonal to every direction number of one dimension.
    ///
    /// Digit i (weight 2^−(i+1), stored at bit `bits − 1 − i`) of the result is digit i of the input XOR a random
    /// combination of the more significant digits 0…i−1.
    static func linearMatrixScramble(_ numbers: [UInt64], bits: Int, generator: inout SeededGenerator) -> [UInt64] {
        var rowMasks = [UInt64](repeating: 0, count: bits)
        for i in 0..<bits {
            let position = UInt64(bits - 1 - i)
            let higherBits: UInt64 = i == 0 ? 0 : (((UInt64(1) << UInt64(i)) - 1) << (position + 1))
            rowMasks[i] = (generator.next() & higherBits) | (UInt64(1) << position)
        }
        return numbers.map { value in
            var scrambled: UInt64 = 0
            for i in 0..<bits where (value & rowMasks[i]).nonzeroBitCount & 1 == 1 {
                scrambled |= UInt64(1) << UInt64(bits - 1 - i)
            }
            return scrambled
        }
    }
}
