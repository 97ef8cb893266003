import HPOMath
@testable import HPOTrainer
import Testing

/// The trainer's products: on OpenBLAS (`C` zeroed, then `sgemm` with `beta = 1`) bitwise plain `sgemm` with
/// `beta = 0` (the change that skips OpenBLAS's `beta` pass must not move a single bit); on the AVX2 + FMA small-product
/// kernel within float rounding of `sgemm`.
@Suite struct MLPNetworkProductTests {
    /// `(transposeA, transposeB, m, n, k)` as the forward pass, the weight gradient and the input gradient call
    /// them for the 64→64→32→10 network at batch 32 and at a last partial batch of 29 rows.
    static let shapes: [(Float32BLAS.Transpose, Float32BLAS.Transpose, Int, Int, Int)] = [
        (.none, .none, 32, 64, 64), (.none, .none, 29, 32, 64), (.none, .none, 359, 10, 32),
        (.transposed, .none, 64, 64, 32), (.transposed, .none, 32, 10, 29),
        (.none, .transposed, 32, 64, 32), (.none, .transposed, 29, 32, 10),
    ]

    static let handKernelSets = VectorKernels.InstructionSet.allCases.filter { $0 != .generic && $0.isSupported }

    /// `product` and `sgemm` (`beta = 0`) on the same random operands, `C` starting as NaN.
    static func bothProducts(shape: Int, instructionSet: VectorKernels.InstructionSet) -> (product: [Float], sgemm: [Float]) {
        let (transposeA, transposeB, m, n, k) = shapes[shape]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(shape + 1)
        func values(_ count: Int) -> [Float] {
            (0..<count).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Float(Int64(bitPattern: state) >> 40) / Float(1 << 23)
            }
        }
        let a = values(m * k)
        let b = values(k * n)
        let lda = transposeA == .none ? k : m
        let ldb = transposeB == .none ? n : k
        // Garbage (NaN) in C shows that product overwrites it rather than adding to it.
        var viaProduct = [Float](repeating: .nan, count: m * n)
        var viaBetaZero = [Float](repeating: .nan, count: m * n)
        let network = MLPNetwork(inputCount: 2, hiddenWidths: [], classCount: 2, activation: .relu, dropout: 0, seed: 0)
        network.vectorInstructionSet = instructionSet
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                viaProduct.withUnsafeMutableBufferPointer { c in
                    network.product(
                        transposeA, transposeB, m: m, n: n, k: k, a: a.baseAddress!, lda: lda, b: b.baseAddress!, ldb: ldb,
                        c: c.baseAddress!)
                }
                viaBetaZero.withUnsafeMutableBufferPointer { c in
                    Float32BLAS.gemm(
                        transposeA, transposeB, m: m, n: n, k: k, a: a.baseAddress!, lda: lda, b: b.baseAddress!, ldb: ldb,
                        beta: 0, c: c.baseAddress!, ldc: n)
                }
            }
        }
        return (viaProduct, viaBetaZero)
    }

    @Test(arguments: shapes.indices)
    func productIsBitwiseTheSameAsSgemmWithBetaZero(shape: Int) {
        let (viaProduct, viaBetaZero) = Self.bothProducts(shape: shape, instructionSet: .generic)
        let differing = zip(viaProduct, viaBetaZero).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differing == 0, "\(differing) of \(viaProduct.count) values differ for shape \(Self.shapes[shape])")
        let nonFinite = viaProduct.filter { !$0.isFinite }.count
        #expect(nonFinite == 0, "\(nonFinite) values are not finite: C was not overwritten")
    }

    /// The operands lie in [−1, 1) and k ≤ 64, so either order of summation is within k·2⁻²⁴·k ≈ 2.4·10⁻⁴ of the exact
    /// sum; 2⁻¹⁰ absolute allows both and is far below a missing or doubled term.
    @Test(arguments: handKernelSets, shapes.indices)
    func handKernelProductIsSgemmWithinRounding(set: VectorKernels.InstructionSet, shape: Int) {
        let (viaProduct, viaBetaZero) = Self.bothProducts(shape: shape, instructionSet: set)
        let worst = zip(viaProduct, viaBetaZero).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 0x1p-10, "\(set.rawValue), shape \(Self.shapes[shape]): off sgemm by up to \(worst)")
        let nonFinite = viaProduct.filter { !$0.isFinite }.count
        #expect(nonFinite == 0, "\(nonFinite) values are not finite: C was not overwritten")
    }
}
