import Foundation
import HPOTrainer
import Testing

/// Back-propagation against central finite differences of an independent double-precision forward pass,
/// layer type by layer type.
@Suite struct GradientCheckTests {
    /// A small batch with features in [-1, 1] and labels cycling through the classes.
    static func batch(rows: Int, inputs: Int, classes: Int, seed: UInt64) -> (features: [Float], labels: [Int]) {
        var state = seed
        func uniform() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 40) / Float(1 << 24) * 2 - 1
        }
        let features = (0..<(rows * inputs)).map { _ in uniform() }
        let labels = (0..<rows).map { $0 % classes }
        return (features, labels)
    }

    /// The loss computed independently in double precision from the flat parameters (same layout,
    /// same masks), so finite differences can use a tiny step that never straddles a ReLU kink.
    static func referenceLoss(
        _ parameters: [Double], network: MLPNetwork, features: [Float], labels: [Int], weightDecay: Double, masks: [[Float]]?
    ) -> Double {
        let rows = labels.count
        var x = features.map(Double.init)
        var width = network.layerSizes[0]
        var penalty = 0.0
        for (index, layer) in network.layout.enumerated() {
            var z = [Double](repeating: 0, count: rows * layer.fanOut)
            for r in 0..<rows {
                for j in 0..<layer.fanOut {
                    var sum = parameters[layer.bias.lowerBound + j]
                    for i in 0..<width { sum += x[r * width + i] * parameters[layer.weights.lowerBound + i * layer.fanOut + j] }
                    z[r * layer.fanOut + j] = sum
                }
            }
            for i in layer.weights { penalty += parameters[i] * parameters[i] }
            if index < network.layout.count - 1 {
                for k in z.indices {
                    let v = z[k]
                    switch network.activation {
                    case .relu: z[k] = max(v, 0)
                    case .tanh: z[k] = Foundation.tanh(v)
                    case .gelu: z[k] = 0.5 * v * (1 + erf(v / 2.0.squareRoot()))
                    }
                    if let masks { z[k] *= Double(masks[index][k]) }
                }
            }
            x = z
            width = layer.fanOut
        }
        var loss = 0.0
        for r in 0..<rows {
            let logits = x[(r * width)..<((r + 1) * width)]
            let top = logits.max()!
            let logSum = top + Foundation.log(logits.map { exp($0 - top) }.reduce(0, +))
            loss += logSum - logits[r * width + labels[r]]
        }
        return loss / Double(rows) + 0.5 * weightDecay * penalty
    }

    /// Compares the network's float32 gradient with central differences (step 1e-6) of the double-precision
    /// reference loss, on a sample of coordinates from every layer's weights and biases.
    /// - Returns: the worst relative error, the number of coordinates checked, and the loss mismatch.
    static func worstError(network: MLPNetwork, features: [Float], labels: [Int], weightDecay: Float) -> (worst: Double, checked: Int, lossError: Double) {
        let (loss, gradient) = network.lossAndGradient(features: features, labels: labels, weightDecay: weightDecay, training: true)
        let original = network.parameterValues.map(Double.init)
        let masks = network.dropout > 0 ? network.fixedDropoutMasks : nil
        func reference(_ parameters: [Double]) -> Double {
            referenceLoss(parameters, network: network, features: features, labels: labels, weightDecay: Double(weightDecay), masks: masks)
        }
        let step = 1e-6
        var worst = 0.0
        var checked = 0
        for layer in network.layout {
            let coordinates = Array(layer.weights).enumerated().filter { $0.offset % 7 == 0 }.map(\.element).prefix(25)
                + Array(layer.bias.prefix(6))
            for coordinate in coordinates {
                var plus = original
                plus[coordinate] += step
                var minus = original
                minus[coordinate] -= step
                let numeric = (reference(plus) - reference(minus)) / (2 * step)
                let analytic = Double(gradient[coordinate])
                let error = abs(numeric - analytic) / max(1e-3, abs(numeric) + abs(analytic))
                worst = max(worst, error)
                checked += 1
            }
        }
        return (worst, checked, abs(loss - reference(original)))
    }

    @Test(arguments: Activation.allCases)
    func denseLayersWithEachActivationMatchFiniteDifferences(activation: Activation) {
        let network = MLPNetwork(inputCount: 5, hiddenWidths: [7, 6], classCount: 4, activation: activation, dropout: 0, seed: 3)
        let (features, labels) = Self.batch(rows: 9, inputs: 5, classes: 4, seed: 11)
        let (worst, checked, lossError) = Self.worstError(network: network, features: features, labels: labels, weightDecay: 0)
        #expect(checked > 30)
        #expect(lossError < 1e-5)
        #expect(worst < 1e-3, "worst relative gradient error \(worst) for \(activation)")
    }

    @Test func softmaxRegressionWithoutHiddenLayersMatchesFiniteDifferences() {
        let network = MLPNetwork(inputCount: 6, hiddenWidths: [], classCount: 3, activation: .relu, dropout: 0, seed: 5)
        let (features, labels) = Self.batch(rows: 8, inputs: 6, classes: 3, seed: 2)
        let (worst, _, lossError) = Self.worstError(network: network, features: features, labels: labels, weightDecay: 0)
        #expect(worst < 1e-3, "worst relative gradient error \(worst)")
        #expect(lossError < 1e-5)
    }

    @Test func weightDecayPenaltyMatchesFiniteDifferences() {
        let network = MLPNetwork(inputCount: 5, hiddenWidths: [6], classCount: 3, activation: .tanh, dropout: 0, seed: 8)
        let (features, labels) = Self.batch(rows: 6, inputs: 5, classes: 3, seed: 4)
        let (worst, _, lossError) = Self.worstError(network: network, features: features, labels: labels, weightDecay: 0.3)
        #expect(worst < 1e-3, "worst relative gradient error \(worst)")
        #expect(lossError < 1e-5)
        // The penalty really is there: with decay the gradient differs from without by λ·W on weights only.
        let withDecay = network.lossAndGradient(features: features, labels: labels, weightDecay: 0.3, training: false)
        let without = network.lossAndGradient(features: features, labels: labels, weightDecay: 0, training: false)
        let parameters = network.parameterValues
        let firstWeight = network.layout[0].weights.lowerBound
        let firstBias = network.layout[0].bias.lowerBound
        #expect(abs((withDecay.gradient[firstWeight] - without.gradient[firstWeight]) - 0.3 * parameters[firstWeight]) < 1e-5)
        #expect(withDecay.gradient[firstBias] == without.gradient[firstBias])
        #expect(withDecay.loss > without.loss)
    }

    @Test(arguments: [Activation.relu, .gelu])
    func dropoutWithFixedMasksMatchesFiniteDifferences(activation: Activation) {
        let rows = 8
        let hidden = [7, 5]
        let dropout = 0.4
        let network = MLPNetwork(inputCount: 4, hiddenWidths: hidden, classCount: 3, activation: activation, dropout: dropout, seed: 9)
        let keep = Float(1 / (1 - dropout))
        var masks: [[Float]] = []
        for (layer, width) in hidden.enumerated() {
            masks.append((0..<(rows * width)).map { ($0 * 7 + layer) % 5 < 2 ? 0 : keep })
        }
        network.fixedDropoutMasks = masks
        let (features, labels) = Self.batch(rows: rows, inputs: 4, classes: 3, seed: 21)
        let (worst, _, lossError) = Self.worstError(network: network, features: features, labels: labels, weightDecay: 0)
        #expect(worst < 1e-3, "worst relative gradient error \(worst)")
        #expect(lossError < 1e-5)
        // The masks matter: the loss with them differs from the loss without dropout.
        let masked = network.lossAndGradient(features: features, labels: labels, weightDecay: 0, training: true).loss
        let unmasked = network.lossAndGradient(features: features, labels: labels, weightDecay: 0, training: false).loss
        #expect(masked != unmasked)
    }

    @Test func softmaxCrossEntropyOfZeroLogitsIsLogOfClassCount() {
        let network = MLPNetwork(inputCount: 3, hiddenWidths: [], classCount: 5, activation: .relu, dropout: 0, seed: 1)
        network.parameterValues = [Float](repeating: 0, count: network.parameterCount)
        let (loss, gradient) = network.lossAndGradient(features: [1, 2, 3, -1, 0, 1], labels: [0, 4], weightDecay: 0, training: false)
        #expect(abs(loss - 1.609_437_9) < 1e-5)
        // Bias gradient = mean(softmax − onehot) = 0.2 − 0.5 for classes 0 and 4, 0.2 for the others.
        let bias = network.layout[0].bias
        let expected: [Float] = [-0.3, 0.2, 0.2, 0.2, -0.3]
        for (offset, value) in expected.enumerated() {
            #expect(abs(gradient[bias.lowerBound + offset] - value) < 1e-6)
        }
    }
}
