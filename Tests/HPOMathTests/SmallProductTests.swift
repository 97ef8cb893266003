import HPOMath
import Testing

/// `VectorKernels.smallProduct` (hpo's AVX2 + FMA and AVX-512 float32 products for the trainer) against a plain loop in double
/// precision, for every transpose combination, awkward sizes, padded leading dimensions, alpha ≠ 1 and beta 0 and 1.
@Suite struct SmallProductTests {
    typealias Transpose = Float32BLAS.Transpose
    static let transposes: [(Transpose, Transpose)] = [(.none, .none), (.transposed, .none), (.none, .transposed), (.transposed, .transposed)]
    static let sizes = [1, 3, 7, 17, 33, 64, 65]
    static let handKernelSets = VectorKernels.InstructionSet.allCases.filter { $0 != .generic && $0.isSupported }

    /// One product's operands with padded leading dimensions (stored row length + 3, + 5, + 2); C's padding holds a
    /// sentinel that must survive.
    struct Operands {
        let transposeA: Transpose, transposeB: Transpose
        let m: Int, n: Int, k: Int, lda: Int, ldb: Int, ldc: Int
        let alpha: Float, beta: Float
        let a: [Float], b: [Float]
        var c: [Float]
        static let sentinel: Float = -12345

        init(_ transposeA: Transpose, _ transposeB: Transpose, m: Int, n: Int, k: Int, alpha: Float, beta: Float, seed: UInt64) {
            (self.transposeA, self.transposeB, self.m, self.n, self.k, self.alpha, self.beta) = (transposeA, transposeB, m, n, k, alpha, beta)
            var generator = SeededGenerator(seed: seed)
            let aRows = transposeA == .none ? m : k, aWidth = transposeA == .none ? k : m
            let bRows = transposeB == .none ? k : n, bWidth = transposeB == .none ? n : k
            let (lda, ldb, ldc) = (aWidth + 3, bWidth + 5, n + 2)
            (self.lda, self.ldb, self.ldc) = (lda, ldb, ldc)
            a = (0..<max(aRows * lda, 1)).map { _ in Float(generator.nextUniform(in: -1, 1)) }
            b = (0..<max(bRows * ldb, 1)).map { _ in Float(generator.nextUniform(in: -1, 1)) }
            c = (0..<(m * ldc)).map { $0 % ldc < n ? (beta == 0 ? .nan : Float(generator.nextUniform(in: -1, 1))) : Self.sentinel }
        }

        func opA(_ i: Int, _ p: Int) -> Float { transposeA == .none ? a[i * lda + p] : a[p * lda + i] }
        func opB(_ p: Int, _ j: Int) -> Float { transposeB == .none ? b[p * ldb + j] : b[j * ldb + p] }

        /// Runs the hand kernel on `c`; returns whether it took the product.
        mutating func run(_ set: VectorKernels.InstructionSet) -> Bool {
            let (a, b) = (self.a, self.b)
            let (transposeA, transposeB, m, n, k, lda, ldb, ldc, alpha, beta) = (self.transposeA, self.transposeB, self.m, self.n, self.k, self.lda, self.ldb, self.ldc, self.alpha, self.beta)
            return a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        VectorKernels.smallProduct(
                            transposeA, transposeB, m: m, n: n, k: k, alpha: alpha, a: a.baseAddress!, lda: lda,
                            b: b.baseAddress!, ldb: ldb, beta: beta, c: c.baseAddress!, ldc: ldc, instructionSet: set)
                    }
                }
            }
        }

        /// Runs the hand kernel on a copy; returns what went wrong (declined, an error above the bound, padding
        /// changed), or nil.
        func failure(_ set: VectorKernels.InstructionSet) -> String? {
            var result = self
            guard result.run(set) else { return "m \(m) n \(n) k \(k): the kernel declined" }
            let worst = worstError(of: result.c)
            guard worst.ratio > 1 || worst.paddingChanged > 0 else { return nil }
            return "m \(m) n \(n) k \(k) alpha \(alpha) beta \(beta): \(worst.at) (error \(worst.ratio)× the bound), \(worst.paddingChanged) padding values changed"
        }

        /// The largest error of `result` against the double-precision sum, in units of its bound
        /// (k + 4)·2⁻²⁴·(Σ|alpha·a·b| + |beta·c|) + 10⁻³⁰; above 1 is wrong. Also counts padding that changed.
        func worstError(of result: [Float]) -> (ratio: Double, at: String, paddingChanged: Int) {
            var worst = (ratio: 0.0, at: "")
            var paddingChanged = 0
            for i in 0..<m {
                for j in 0..<ldc where j >= n {
                    if result[i * ldc + j] != Self.sentinel { paddingChanged += 1 }
                }
                for j in 0..<n {
                    var sum = 0.0, magnitude = 0.0
                    for p in 0..<k {
                        let term = Double(alpha) * Double(opA(i, p)) * Double(opB(p, j))
                        sum += term
                        magnitude += abs(term)
                    }
                    if beta != 0 {
                        sum += Double(beta) * Double(c[i * ldc + j])
                        magnitude += abs(Double(beta) * Double(c[i * ldc + j]))
                    }
                    let bound = Double(k + 4) * 0x1p-24 * magnitude + 1e-30
                    let error = abs(Double(result[i * ldc + j]) - sum)
                    let ratio = error.isNaN ? .infinity : error / bound
                    if ratio > worst.ratio { worst = (ratio, "C[\(i)][\(j)] = \(result[i * ldc + j]), expected \(sum)") }
                }
            }
            return (worst.ratio, worst.at, paddingChanged)
        }
    }

    /// Every m, n in `sizes` with k in 0, 1, 7, 33, 65, alpha 1 and beta 0 (C full of NaN, never read), and
    /// alpha −0.75 with beta 1.
    @Test(arguments: handKernelSets, transposes.indices)
    func matchesThePlainLoopAtAwkwardSizes(set: VectorKernels.InstructionSet, transposes: Int) {
        let (transposeA, transposeB) = Self.transposes[transposes]
        var failures: [String] = []
        var seed: UInt64 = 1
        for m in Self.sizes {
            for n in Self.sizes {
                for k in [0, 1, 7, 33, 65] {
                    for (alpha, beta) in [(Float(1), Float(0)), (-0.75, 1)] {
                        seed += 1
                        let operands = Operands(transposeA, transposeB, m: m, n: n, k: k, alpha: alpha, beta: beta, seed: seed)
                        if let failure = operands.failure(set) { failures.append(failure) }
                    }
                }
            }
        }
        #expect(failures.isEmpty, "\(set.rawValue) \(transposeA)·\(transposeB): \(failures.count) products wrong, first: \(failures.prefix(3))")
    }

    /// The AVX-512 kernel gives the AVX2 + FMA kernel's bits: every row count across its 12-row tiles and their
    /// tails, widths across the masked columns, both transposes, alpha 1 and −0.75, beta 0 and 1.
    @Test(.enabled(if: handKernelSets.contains(.avx512), "this CPU runs no AVX-512: nothing to compare"),
          arguments: transposes.indices)
    func theAVX512KernelGivesTheAVX2Bits(transposes: Int) {
        let (transposeA, transposeB) = Self.transposes[transposes]
        var differing: [String] = []
        var seed: UInt64 = 500
        for m in [1, 2, 5, 7, 11, 12, 13, 19, 25, 32, 65] {
            for n in [1, 3, 10, 15, 16, 17, 32, 33, 64] {
                for k in [0, 1, 7, 33, 300] {
                    for (alpha, beta) in [(Float(1), Float(0)), (-0.75, 1)] {
                        seed += 1
                        var wide = Operands(transposeA, transposeB, m: m, n: n, k: k, alpha: alpha, beta: beta, seed: seed)
                        var narrow = wide
                        guard wide.run(.avx512), narrow.run(.avx2FMA) else { continue }
                        if wide.c.map(\.bitPattern) != narrow.c.map(\.bitPattern) { differing.append("m \(m) n \(n) k \(k)") }
                    }
                }
            }
        }
        #expect(differing.isEmpty, "\(transposeA)·\(transposeB): \(differing.count) products differ, first: \(differing.prefix(3))")
    }

    /// Widths whose last 16-column panel is 10 or 2 columns wide (the 10-class output layer's products) take the
    /// 8-row pair-tail tiles: every row count across the 8-row tiles and their 1–7-row tails, depths from 0 to 128
    /// (the output layer's k: 32 forward, the batch size for the weight gradient, 10 for the input gradient).
    @Test(arguments: handKernelSets, transposes.indices)
    func matchesThePlainLoopWithPairColumns(set: VectorKernels.InstructionSet, transposes: Int) {
        let (transposeA, transposeB) = Self.transposes[transposes]
        var failures: [String] = []
        var seed: UInt64 = 1000
        for m in Array(1...17) + [32, 38, 359] {
            for n in [2, 10, 18, 26] {
                for k in m <= 38 ? [0, 1, 10, 32, 128] : [10, 32] {
                    for (alpha, beta) in [(Float(1), Float(0)), (-0.75, 1)] {
                        seed += 1
                        let operands = Operands(transposeA, transposeB, m: m, n: n, k: k, alpha: alpha, beta: beta, seed: seed)
                        if let failure = operands.failure(set) { failures.append(failure) }
                    }
                }
            }
        }
        #expect(failures.isEmpty, "\(set.rawValue) \(transposeA)·\(transposeB): \(failures.count) products wrong, first: \(failures.prefix(3))")
    }

    /// A transposed B deeper than one copied panel (256 rows of op(B)) is summed in parts; the trainer's largest
    /// shapes (the validation pass, a batch of 512) also go through the kernel.
    @Test(arguments: handKernelSets, [(2, 3, 300, 0), (7, 17, 512, 1), (359, 64, 64, 0), (64, 64, 512, 1)])
    func matchesThePlainLoopAtDepthAndTheTrainersLargestShapes(set: VectorKernels.InstructionSet, shape: (Int, Int, Int, Int)) {
        let (m, n, k, beta) = shape
        for (transposeA, transposeB) in Self.transposes {
            var operands = Operands(transposeA, transposeB, m: m, n: n, k: k, alpha: 0.5, beta: Float(beta), seed: UInt64(m * n + k))
            let original = operands
            let took = operands.run(set)
            #expect(took, "\(m)×\(n)×\(k) is within the limits and must go to the kernel")
            let worst = original.worstError(of: operands.c)
            #expect(worst.ratio <= 1 && worst.paddingChanged == 0,
                    "\(set.rawValue) \(transposeA)·\(transposeB) \(m)×\(n)×\(k): \(worst.at) (\(worst.ratio)× the bound), \(worst.paddingChanged) padding values changed")
        }
    }

    /// The generic set has no hand kernel, and products past the limits stay with BLAS: `false`, C untouched.
    @Test func declinesWithoutAHandKernelOrPastTheLimits() {
        var generic = Operands(.none, .none, m: 5, n: 6, k: 7, alpha: 1, beta: 1, seed: 9)
        let before = generic.c
        let genericTook = generic.run(.generic)
        #expect(!genericTook)
        #expect(generic.c == before, "a declined product must leave C alone")
        for set in Self.handKernelSets {
            var deep = Operands(.none, .none, m: 1, n: 1, k: VectorKernels.smallProductDepthLimit + 1, alpha: 1, beta: 1, seed: 10)
            let deepTook = deep.run(set)
            #expect(!deepTook, "k above \(VectorKernels.smallProductDepthLimit) goes to BLAS")
            var large = Operands(.none, .none, m: 130, n: 130, k: 130, alpha: 1, beta: 1, seed: 11)
            let largeTook = large.run(set)
            #expect(!largeTook, "130³ > \(VectorKernels.smallProductLimit) goes to BLAS")
        }
    }
}
