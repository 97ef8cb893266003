internal import HPOMath

/// Applies one optimizer step to a flat parameter vector, keeping the optimizer's state (momentum
/// or Adam moments) in buffers allocated once.
///
/// Weight decay touches only the `weightRanges` (weight matrices, not biases). For SGD and Adam
/// the L2 term is already in the gradient (the network adds it); for AdamW it is applied here,
/// decoupled from the adaptive step.
final class ParameterUpdater {
    private let kind: OptimizerKind
    private let count: Int
    private let weightRanges: [Range<Int>]
    private let first: UnsafeMutablePointer<Float>
    private let second: UnsafeMutablePointer<Float>
    private var beta1Power = 1.0
    private var beta2Power = 1.0

    init(kind: OptimizerKind, parameterCount: Int, weightRanges: [Range<Int>]) {
        self.kind = kind
        count = parameterCount
        self.weightRanges = weightRanges
        first = .allocate(capacity: parameterCount)
        first.initialize(repeating: 0, count: parameterCount)
        second = .allocate(capacity: parameterCount)
        second.initialize(repeating: 0, count: parameterCount)
    }

    deinit {
        first.deallocate()
        second.deallocate()
    }

    /// Whether the network should add the L2 penalty's gradient itself (everything but AdamW).
    var wantsCoupledWeightDecay: Bool {
        if case .adamW = kind { return false }
        return true
    }

    /// `parameters ← update(parameters, gradients)` at `learningRate`.
    func step(parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>, learningRate: Float, weightDecay: Float) {
        let n = count
        switch kind {
        case .sgd(let momentumValue, let nesterov):
            let momentum = Float(momentumValue)
            if momentum == 0 {
                for i in 0..<n { p[i] -= learningRate * g[i] }
            } else {
                // One pass over parameters, gradients and velocities, in AVX2 + FMA where the CPU has it.
                VectorKernels.sgdMomentumStep(
                    parameters: p, gradients: g, velocity: first, count: n, rate: learningRate, momentum: momentum,
                    nesterov: nesterov)
            }
        case .adam(let beta1, let beta2, let epsilon), .adamW(let beta1, let beta2, let epsilon):
            if case .adamW = kind, weightDecay > 0 {
                let shrink = 1 - learningRate * weightDecay
                for range in weightRanges {
                    for i in range { p[i] *= shrink }
                }
            }
            let b1 = Float(beta1)
            let b2 = Float(beta2)
            beta1Power *= beta1
            beta2Power *= beta2
            let correction1 = Float(1 - beta1Power)
            let correction2 = Float(1 - beta2Power)
            let stepSize = learningRate / correction1
            let inverseCorrection2 = 1 / correction2
            let eps = Float(epsilon)
            let m = first
            let v = second
            for i in 0..<n {
                let gradient = g[i]
                let mean = b1 * m[i] + (1 - b1) * gradient
                let variance = b2 * v[i] + (1 - b2) * gradient * gradient
                m[i] = mean
                v[i] = variance
                p[i] -= stepSize * mean / ((variance * inverseCorrection2).squareRoot() + eps)
            }
        }
    }
}
