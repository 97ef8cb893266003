import HPOMath
import Testing

/// `VectorKernels.ProductEpilogue`: a product with its epilogue (fused into the hand kernel's stores on AVX2 + FMA,
/// `applyEpilogue` after `sgemm` on the generic set) gives, bit for bit, the product without it followed by plain
/// Swift loops: `+ bias`, ReLU (NaN gives 0), zeroed where the gate is ≤ 0 (NaN keeps), column sums in row order.
@Suite struct ProductEpilogueTests {
    typealias Transpose = Float32BLAS.Transpose
    static let sets = VectorKernels.InstructionSet.allCases.filter(\.isSupported)
    static let transposes: [(Transpose, Transpose)] = [(.none, .none), (.transposed, .none), (.none, .transposed), (.transposed, .transposed)]
    /// Row and column counts around the kernel's 6-row tiles and 16-column panels, and the network's 10, 32 and 64.
    static let sizes = [1, 3, 7, 10, 17, 32, 33, 64, 65]

    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in Float(generator.nextUniform(in: -1, 1)) }
    }

    /// `C ← op(A)·op(B)` (`m × n`, contiguous) as the trainer runs it: the hand kernel where it takes the product,
    /// else `sgemm` on a zeroed C and then `applyEpilogue`.
    static func product(
        _ set: VectorKernels.InstructionSet, _ transposes: (Transpose, Transpose), m: Int, n: Int, k: Int,
        a: [Float], b: [Float], epilogue: VectorKernels.ProductEpilogue?
    ) -> [Float] {
        let (transposeA, transposeB) = transposes
        let lda = transposeA == .none ? k : m, ldb = transposeB == .none ? n : k
        var c = [Float](repeating: .nan, count: m * n)
        c.withUnsafeMutableBufferPointer { c in
            guard let c = c.baseAddress else { return }
            if VectorKernels.smallProduct(
                transposeA, transposeB, m: m, n: n, k: k, a: a, lda: max(lda, 1), b: b, ldb: max(ldb, 1), c: c, ldc: n,
                epilogue: epilogue, instructionSet: set)
            {
                return
            }
            c.update(repeating: 0, count: m * n)
            Float32BLAS.gemm(transposeA, transposeB, m: m, n: n, k: k, a: a, lda: max(lda, 1), b: b, ldb: max(ldb, 1), beta: 1, c: c, ldc: n)
            if let epilogue { VectorKernels.applyEpilogue(epilogue, to: c, rows: m, width: n, instructionSet: set) }
        }
        return c
    }

    /// The shapes (m, n, k) of `rows × sizes × depths` at which `matches` is false, as text.
    static func mismatches(rows: [Int], depths: [Int], _ matches: (_ m: Int, _ n: Int, _ k: Int, _ seed: UInt64) -> Bool) -> [String] {
        var failures: [String] = []
        for m in rows {
            for n in sizes {
                for k in depths where !matches(m, n, k, UInt64(m * 10_000 + n * 100 + k)) { failures.append("m \(m) n \(n) k \(k)") }
            }
        }
        return failures
    }

    /// A hidden layer's forward pass: `z = x·W + b` and `h = max(z, 0)`, with a NaN and a −0 among the biases.
    @Test(arguments: sets, transposes.indices)
    func biasAndReLUMatchThePlainLoops(set: VectorKernels.InstructionSet, transposes: Int) {
        let failures = Self.mismatches(rows: Self.sizes, depths: [0, 5, 33]) { m, n, k, seed in
            let a = Self.values(max(m * k, 1), seed: seed), b = Self.values(max(k * n, 1), seed: seed + 1)
            var bias = Self.values(n, seed: seed + 2)
            if n > 2 { bias[0] = .nan; bias[1] = -0.0 }
            let plain = Self.product(set, Self.transposes[transposes], m: m, n: n, k: k, a: a, b: b, epilogue: nil)
            let expectedZ = plain.indices.map { plain[$0] + bias[$0 % n] }
            let expectedH = expectedZ.map { $0 > 0 ? $0 : 0 }
            var h = [Float](repeating: .nan, count: m * n)
            let z = bias.withUnsafeBufferPointer { bias in
                h.withUnsafeMutableBufferPointer { h in
                    Self.product(
                        set, Self.transposes[transposes], m: m, n: n, k: k, a: a, b: b,
                        epilogue: .init(bias: bias.baseAddress, relu: h.baseAddress))
                }
            }
            return z.map(\.bitPattern) == expectedZ.map(\.bitPattern) && h.map(\.bitPattern) == expectedH.map(\.bitPattern)
        }
        #expect(failures.isEmpty, "\(set.rawValue) \(Self.transposes[transposes]): z or h differ at \(failures.count) shapes, first \(failures.prefix(4))")
    }

    /// The backward pass's input gradient: `δ = (δ'·Wᵀ) ⊙ [z > 0]` and the bias gradient `Σ_r δ[r]`, with NaN, −0
    /// and 0 among the gates; also the depth past one copied panel of Bᵀ (k = 300), where the epilogue runs once.
    @Test(arguments: sets, transposes.indices)
    func gateAndColumnSumsMatchThePlainLoops(set: VectorKernels.InstructionSet, transposes: Int) {
        let failures = Self.mismatches(rows: Self.sizes + [0], depths: [0, 5, 33, 300]) { m, n, k, seed in
            if k == 300 && m != 7 { return true }
            let a = Self.values(max(m * k, 1), seed: seed), b = Self.values(max(k * n, 1), seed: seed + 1)
            var gate = Self.values(m * n, seed: seed + 2)
            if gate.count > 3 { gate[0] = .nan; gate[1] = -0.0; gate[2] = 0 }
            let plain = Self.product(set, Self.transposes[transposes], m: m, n: n, k: k, a: a, b: b, epilogue: nil)
            let expected = plain.indices.map { gate[$0] <= 0 ? 0 : plain[$0] }
            let expectedSums = (0..<n).map { j in (0..<m).reduce(Float(0)) { $0 + expected[$1 * n + j] } }
            var sums = [Float](repeating: .nan, count: n)
            let delta = gate.withUnsafeBufferPointer { gate in
                sums.withUnsafeMutableBufferPointer { sums in
                    Self.product(
                        set, Self.transposes[transposes], m: m, n: n, k: k, a: a, b: b,
                        epilogue: .init(gate: gate.baseAddress, columnSums: sums.baseAddress))
                }
            }
            return delta.map(\.bitPattern) == expected.map(\.bitPattern) && sums.map(\.bitPattern) == expectedSums.map(\.bitPattern)
        }
        #expect(failures.isEmpty, "\(set.rawValue) \(Self.transposes[transposes]): δ or its column sums differ at \(failures.count) shapes, first \(failures.prefix(4))")
    }
}
