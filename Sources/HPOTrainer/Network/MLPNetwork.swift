internal import HPOMath

/// A dense multilayer perceptron with softmax cross-entropy, float32 throughout, on preallocated buffers.
///
/// Layers: `input → hidden[0] → … → hidden[last] → classes`; each hidden layer is `act(x·W + b)`
/// followed by inverted dropout during training; the last layer gives logits. Matrices are row-major:
/// a batch is `rows × width`, a weight matrix `fanIn × fanOut`. Every forward/backward pass runs on
/// buffers allocated once (grown only if a larger batch arrives); the products run on hpo's small-product kernel
/// where the CPU has AVX2 + FMA and on `cblas_sgemm` otherwise (`product`).
///
/// All parameters live in one flat vector (per layer: the weight matrix, then the bias) so an
/// optimizer step is one pass; `layout` tells which range is which.
///
/// Not thread-safe: one network belongs to one training run on one thread.
public final class MLPNetwork {
    /// `[inputs, hidden widths…, classes]`.
    public let layerSizes: [Int]
    /// The hidden layers' nonlinearity.
    public let activation: Activation
    /// Dropout probability of hidden units during training, in [0, 1).
    public let dropout: Float
    /// Where each layer's weights and bias sit in the flat parameter vector.
    public let layout: [LayerLayout]
    /// Total number of trainable parameters.
    public let parameterCount: Int

    /// When set, training passes use these dropout masks instead of random ones: one array per hidden
    /// layer, `rows × width`, each entry 0 or `1/(1 − dropout)`. For gradient checks.
    public var fixedDropoutMasks: [[Float]]?

    /// The instruction set of the small-product kernel (`VectorKernels.smallProduct`) and of the trainer's loops
    /// (bias + ReLU, softmax cross-entropy, bias gradients, ReLU gradient: `VectorKernels+TrainerLoops`); nil: the
    /// process's `VectorKernels.selected`. `.generic` sends every product to OpenBLAS and runs the loops' baseline
    /// build. For tests that compare the two paths.
    var vectorInstructionSet: VectorKernels.InstructionSet?

    let parameters: UnsafeMutablePointer<Float>
    let gradients: UnsafeMutablePointer<Float>
    var random: TrainerRandom
    private let buffers: ActivationBuffers

    /// Where one layer's parameters sit in the flat vector.
    public struct LayerLayout: Sendable, Hashable {
        /// Inputs of the layer.
        public var fanIn: Int
        /// Outputs of the layer.
        public var fanOut: Int
        /// The `fanIn × fanOut` weight matrix, row-major.
        public var weights: Range<Int>
        /// The `fanOut` biases.
        public var bias: Range<Int>
    }

    /// Creates a network with seeded initialization: weights and biases uniform in `±1/√fanIn`
    /// (PyTorch's `nn.Linear` default).
    ///
    /// - Parameters:
    ///   - inputCount: features per example, ≥ 1.
    ///   - hiddenWidths: hidden layer widths, each ≥ 1 (may be empty).
    ///   - classCount: number of classes, ≥ 2.
    ///   - seed: pins the initial weights and every later dropout mask.
    public init(inputCount: Int, hiddenWidths: [Int], classCount: Int, activation: Activation, dropout: Double, seed: UInt64) {
        precondition(inputCount >= 1 && classCount >= 2 && hiddenWidths.allSatisfy { $0 >= 1 })
        layerSizes = [inputCount] + hiddenWidths + [classCount]
        self.activation = activation
        self.dropout = Float(dropout)
        var layout: [LayerLayout] = []
        var offset = 0
        for layer in 0..<(layerSizes.count - 1) {
            let fanIn = layerSizes[layer]
            let fanOut = layerSizes[layer + 1]
            let weights = offset..<(offset + fanIn * fanOut)
            let bias = weights.upperBound..<(weights.upperBound + fanOut)
            layout.append(LayerLayout(fanIn: fanIn, fanOut: fanOut, weights: weights, bias: bias))
            offset = bias.upperBound
        }
        self.layout = layout
        parameterCount = offset
        parameters = .allocate(capacity: offset)
        parameters.initialize(repeating: 0, count: offset)
        gradients = .allocate(capacity: offset)
        gradients.initialize(repeating: 0, count: offset)
        random = TrainerRandom(seed: seed)
        buffers = ActivationBuffers(layerSizes: layerSizes, dropout: dropout > 0)

        // PyTorch's nn.Linear default: weights and biases uniform in ±1/√fanIn. Measured against He and
        // Glorot initialization on digits, it generalizes best with the usual SGD settings.
        for layer in layout {
            let bound = 1 / Float(layer.fanIn).squareRoot()
            for i in layer.weights { parameters[i] = (2 * random.nextUnitFloat() - 1) * bound }
            for i in layer.bias { parameters[i] = (2 * random.nextUnitFloat() - 1) * bound }
        }
    }

    deinit {
        parameters.deallocate()
        gradients.deallocate()
    }

    /// A copy of the flat parameter vector (see `layout`); setting it overwrites every parameter.
    public var parameterValues: [Float] {
        get { Array(UnsafeBufferPointer(start: parameters, count: parameterCount)) }
        set {
            precondition(newValue.count == parameterCount, "expected \(parameterCount) parameters, got \(newValue.count)")
            newValue.withUnsafeBufferPointer { parameters.update(from: $0.baseAddress!, count: parameterCount) }
        }
    }

    /// The mean softmax cross-entropy (+ the L2 penalty) on a batch and its gradient, as copies.
    ///
    /// A convenience over the allocation-free path the trainer uses; for tests and small uses.
    /// - Parameters:
    ///   - features: `rows × inputs`, row-major.
    ///   - labels: `rows` class indices in `0..<classes`.
    ///   - weightDecay: coefficient λ of the penalty `λ/2·‖W‖²` over weight matrices (0 for none).
    ///   - training: applies dropout (random, or `fixedDropoutMasks` when set).
    /// - Returns: the loss and its gradient, laid out like `parameterValues`.
    public func lossAndGradient(features: [Float], labels: [Int], weightDecay: Float, training: Bool) -> (loss: Double, gradient: [Float]) {
        let rows = labels.count
        precondition(features.count == rows * layerSizes[0], "features must be rows × \(layerSizes[0])")
        let labels32 = labels.map { Int32($0) }
        let loss = features.withUnsafeBufferPointer { x in
            labels32.withUnsafeBufferPointer { y in
                forward(x.baseAddress!, rows: rows, training: training)
                return backward(x.baseAddress!, labels: y.baseAddress!, rows: rows, weightDecay: weightDecay)
            }
        }
        return (loss, Array(UnsafeBufferPointer(start: gradients, count: parameterCount)))
    }

    /// Runs the layers on `rows` examples; leaves the logits in the last pre-activation buffer.
    func forward(_ input: UnsafePointer<Float>, rows: Int, training: Bool) {
        buffers.reserve(rows: rows)
        let useDropout = training && dropout > 0
        var x = input
        for (index, layer) in layout.enumerated() {
            let z = buffers.preactivations[index]
            product(
                .none, .none, m: rows, n: layer.fanOut, k: layer.fanIn,
                a: x, lda: layer.fanIn, b: parameters + layer.weights.lowerBound, ldb: layer.fanOut, c: z)
            let bias = UnsafePointer(parameters + layer.bias.lowerBound)
            if index == layout.count - 1 {
                VectorKernels.addBias(
                    z, bias: bias, reluOutput: nil, rows: rows, width: layer.fanOut, instructionSet: vectorInstructionSet)
                return
            }
            let h = buffers.outputs[index]
            activation.addBiasAndApply(
                preactivation: z, bias: bias, output: h, rows: rows, width: layer.fanOut, instructionSet: vectorInstructionSet)
            if useDropout {
                let mask = buffers.masks[index]
                let dropped = buffers.dropped[index]
                let count = rows * layer.fanOut
                fillMask(mask, layer: index, count: count)
                for i in 0..<count { dropped[i] = h[i] * mask[i] }
                x = UnsafePointer(dropped)
            } else {
                x = UnsafePointer(h)
            }
        }
    }

    private func fillMask(_ mask: UnsafeMutablePointer<Float>, layer: Int, count: Int) {
        if let fixed = fixedDropoutMasks {
            precondition(fixed.count == layout.count - 1 && fixed[layer].count == count,
                         "fixedDropoutMasks[\(layer)] must hold rows × width = \(count) values")
            fixed[layer].withUnsafeBufferPointer { mask.update(from: $0.baseAddress!, count: count) }
            return
        }
        let keep = 1 / (1 - dropout)
        for i in 0..<count {
            mask[i] = random.nextUnitFloat() < dropout ? 0 : keep
        }
    }

    /// Softmax cross-entropy on the logits of the last `forward`, then back-propagation into `gradients`.
    ///
    /// - Returns: the mean loss over the `rows` examples plus the L2 penalty.
    func backward(_ input: UnsafePointer<Float>, labels: UnsafePointer<Int32>, rows: Int, weightDecay: Float) -> Double {
        let classes = layerSizes[layerSizes.count - 1]
        var delta = buffers.deltaA
        var next = buffers.deltaB
        let logits = buffers.preactivations[layout.count - 1]
        var loss = VectorKernels.softmaxCrossEntropy(
            logits: logits, labels: labels, rows: rows, classes: classes, scale: 1 / Float(rows), delta: delta,
            instructionSet: vectorInstructionSet
        ).lossSum / Double(rows)

        let useDropout = dropout > 0
        for index in stride(from: layout.count - 1, through: 0, by: -1) {
            let layer = layout[index]
            let x: UnsafePointer<Float>
            if index == 0 {
                x = input
            } else {
                x = UnsafePointer(useDropout ? buffers.dropped[index - 1] : buffers.outputs[index - 1])
            }
            product(
                .transposed, .none, m: layer.fanIn, n: layer.fanOut, k: rows,
                a: x, lda: layer.fanIn, b: delta, ldb: layer.fanOut, c: gradients + layer.weights.lowerBound)
            VectorKernels.columnSums(
                delta, rows: rows, width: layer.fanOut, into: gradients + layer.bias.lowerBound,
                instructionSet: vectorInstructionSet)
            guard index > 0 else { break }
            product(
                .none, .transposed, m: rows, n: layer.fanIn, k: layer.fanOut,
                a: delta, lda: layer.fanOut, b: parameters + layer.weights.lowerBound, ldb: layer.fanOut, c: next)
            let count = rows * layer.fanIn
            if useDropout {
                let mask = buffers.masks[index - 1]
                for i in 0..<count { next[i] *= mask[i] }
            }
            activation.multiplyByDerivative(
                gradient: next, preactivation: buffers.preactivations[index - 1],
                output: buffers.outputs[index - 1], count: count, instructionSet: vectorInstructionSet)
            swap(&delta, &next)
        }

        if weightDecay > 0 {
            var penalty = 0.0
            for layer in layout {
                let w = parameters + layer.weights.lowerBound
                let count = layer.weights.count
                penalty += Double(Float32BLAS.dot(count: count, x: w, y: w))
                Float32BLAS.axpy(count: count, alpha: weightDecay, x: w, y: gradients + layer.weights.lowerBound)
            }
            loss += 0.5 * Double(weightDecay) * penalty
        }
        return loss
    }

    /// Counts correct predictions and sums the cross-entropy over `count` examples, in chunks.
    ///
    /// - Returns: `correct` (argmax of the logits equals the label) and `lossSum` (sum, not mean).
    func evaluate(features: UnsafePointer<Float>, labels: UnsafePointer<Int32>, count: Int, chunk: Int) -> (correct: Int, lossSum: Double) {
        let inputs = layerSizes[0]
        let classes = layerSizes[layerSizes.count - 1]
        var correct = 0
        var lossSum = 0.0
        var start = 0
        while start < count {
            let rows = min(chunk, count - start)
            forward(features + start * inputs, rows: rows, training: false)
            // The softmax's gradient goes to a back-propagation buffer as scratch (rows × widest ≥ rows × classes).
            let (rowLoss, rowCorrect) = VectorKernels.softmaxCrossEntropy(
                logits: buffers.preactivations[layout.count - 1], labels: labels + start, rows: rows, classes: classes,
                scale: 1, delta: buffers.deltaA, countCorrect: true, instructionSet: vectorInstructionSet)
            correct += rowCorrect
            lossSum += rowLoss
            start += rows
        }
        return (correct, lossSum)
    }
}
