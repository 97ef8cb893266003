import HPOMath
@testable import HPOTrainer
import Testing

/// The network's passes on each instruction set of the trainer's loops (bias + ReLU, softmax cross-entropy, column
/// sums, ReLU gradient in C): the loss matches the independent double-precision forward pass, and the baseline and
/// AVX2 + FMA builds give the same gradient within float rounding.
@Suite struct MLPNetworkLoopsTests {
    static let supported = VectorKernels.InstructionSet.allCases.filter(\.isSupported)

    /// Loss and gradient of a 64→64→32→10 ReLU network (the benchmark's shape) on `rows` rows with `set`.
    static func lossAndGradient(rows: Int, set: VectorKernels.InstructionSet) -> (loss: Double, gradient: [Float], reference: Double) {
        let network = MLPNetwork(inputCount: 64, hiddenWidths: [64, 32], classCount: 10, activation: .relu, dropout: 0, seed: 3)
        network.vectorInstructionSet = set
        let (features, labels) = GradientCheckTests.batch(rows: rows, inputs: 64, classes: 10, seed: 11)
        let (loss, gradient) = network.lossAndGradient(features: features, labels: labels, weightDecay: 0, training: true)
        let reference = GradientCheckTests.referenceLoss(
            network.parameterValues.map(Double.init), network: network, features: features, labels: labels, weightDecay: 0,
            masks: nil)
        return (loss, gradient, reference)
    }

    @Test(arguments: supported, [1, 29, 32, 65])
    func lossMatchesTheDoublePrecisionForwardPass(set: VectorKernels.InstructionSet, rows: Int) {
        let (loss, _, reference) = Self.lossAndGradient(rows: rows, set: set)
        #expect(abs(loss - reference) <= 1e-5 * max(1, abs(reference)), "\(set.rawValue), \(rows) rows: \(loss) vs \(reference)")
    }

    @Test(.enabled(if: supported.contains(.avx2FMA), "this CPU runs only the generic build: nothing to compare"),
          arguments: [1, 29, 32, 65])
    func bothBuildsGiveTheSameGradient(rows: Int) {
        let generic = Self.lossAndGradient(rows: rows, set: .generic)
        let wide = Self.lossAndGradient(rows: rows, set: .avx2FMA)
        let scale = generic.gradient.map { abs($0) }.max() ?? 1
        let worst = zip(generic.gradient, wide.gradient).map { abs($0 - $1) }.max() ?? 0
        // Products (OpenBLAS against the hand kernel) and e^x round differently: a few float ulps of the largest value.
        #expect(worst <= 1e-5 * scale, "\(rows) rows: gradients differ by \(worst) (largest \(scale))")
        #expect(abs(generic.loss - wide.loss) <= 1e-5 * abs(generic.loss))
    }

    /// The AVX-512 builds of the trainer's loops and small products give the AVX2 + FMA builds' loss and gradient
    /// bit for bit.
    @Test(.enabled(if: supported.contains(.avx512), "this CPU runs no AVX-512: nothing to compare"),
          arguments: [1, 29, 32, 65])
    func theAVX512BuildGivesTheAVX2Bits(rows: Int) {
        let wide = Self.lossAndGradient(rows: rows, set: .avx512)
        let narrow = Self.lossAndGradient(rows: rows, set: .avx2FMA)
        #expect(wide.loss.bitPattern == narrow.loss.bitPattern)
        #expect(wide.gradient.map(\.bitPattern) == narrow.gradient.map(\.bitPattern))
    }
}
