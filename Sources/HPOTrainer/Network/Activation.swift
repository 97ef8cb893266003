internal import HPOMath

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The nonlinearity after each hidden layer.
public enum Activation: String, Sendable, Hashable, CaseIterable {
    /// max(0, z).
    case relu
    /// tanh(z).
    case tanh
    /// The exact Gaussian error linear unit z·Φ(z) (as PyTorch's default `nn.GELU()`).
    case gelu

    /// `z[i] += bias[i % width]`, then `h[i] = act(z[i])` over `rows × width` values.
    ///
    /// Fuses the bias add into the activation pass so each layer reads its pre-activations once. ReLU runs in C
    /// (`VectorKernels.addBias`, in `instructionSet`'s build; nil: the process's `VectorKernels.selected`).
    func addBiasAndApply(
        preactivation z: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>,
        output h: UnsafeMutablePointer<Float>, rows: Int, width: Int, instructionSet: VectorKernels.InstructionSet?
    ) {
        switch self {
        case .relu:
            VectorKernels.addBias(z, bias: bias, reluOutput: h, rows: rows, width: width, instructionSet: instructionSet)
        case .tanh:
            Self.addBias(preactivation: z, bias: bias, output: h, rows: rows, width: width) { tanhf($0) }
        case .gelu:
            Self.addBias(preactivation: z, bias: bias, output: h, rows: rows, width: width) {
                0.5 * $0 * (1 + erff($0 * 0.707_106_77))
            }
        }
    }

    /// `z[i] += bias[i % width]`, then `h[i] = function(z[i])`, row by row.
    private static func addBias(
        preactivation z: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, output h: UnsafeMutablePointer<Float>,
        rows: Int, width: Int, _ function: (Float) -> Float
    ) {
        for row in 0..<rows {
            let zRow = z + row * width
            let hRow = h + row * width
            for j in 0..<width {
                let value = zRow[j] + bias[j]
                zRow[j] = value
                hRow[j] = function(value)
            }
        }
    }

    /// `gradient[i] *= act'(z[i])` over `count` values, given pre-activations `z` and outputs `h`.
    ///
    /// ReLU's runs in C (`VectorKernels.reluGradient`: a bit mask, branch-free; a branch on z's random sign
    /// mispredicts about half the time).
    func multiplyByDerivative(
        gradient g: UnsafeMutablePointer<Float>, preactivation z: UnsafePointer<Float>,
        output h: UnsafePointer<Float>, count: Int, instructionSet: VectorKernels.InstructionSet?
    ) {
        switch self {
        case .relu:
            VectorKernels.reluGradient(g, preactivation: z, count: count, instructionSet: instructionSet)
        case .tanh:
            for i in 0..<count { g[i] *= 1 - h[i] * h[i] }
        case .gelu:
            // d/dz [z Φ(z)] = Φ(z) + z φ(z)
            for i in 0..<count {
                let value = z[i]
                let cdf = 0.5 * (1 + erff(value * 0.707_106_77))
                let pdf = 0.398_942_3 * expf(-0.5 * value * value)
                g[i] *= cdf + value * pdf
            }
        }
    }
}
