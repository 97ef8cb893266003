internal import CVectorKernels

/// The trainer's own loops around its products, in C built for the baseline and for AVX2 + FMA
/// (docs/blas-kernels.md, *The trainer's loops in C*). Matrices are float32, row-major and contiguous (leading
/// dimension = width). Every function takes `instructionSet` (nil: ``selected``, which is always supported; a set
/// given explicitly must be supported). Pointers are the caller's; nothing is allocated.
extension VectorKernels {
    /// `z[r][j] += bias[j]` over `rows × width` pre-activations and, when `reluOutput` is given,
    /// `reluOutput[r][j] = max(z[r][j], 0)` (NaN gives 0) in the same pass.
    ///
    /// - Parameters:
    ///   - z: `rows × width`, updated in place.
    ///   - bias: `width` values.
    ///   - reluOutput: `rows × width`, overwritten; nil adds the bias only (the output layer).
    /// - Complexity: O(rows · width).
    public static func addBias(
        _ z: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, reluOutput: UnsafeMutablePointer<Float>?,
        rows: Int, width: Int, instructionSet: InstructionSet? = nil
    ) {
        hpo_bias_relu(checkedSet(instructionSet), z, bias, reluOutput, rows, width)
    }

    /// Softmax cross-entropy of `rows × classes` logits and its gradient in one call:
    /// `delta[r][j] = scale · (softmax(z_r)_j − [j = labels[r]])`; returns Σ_r (ln Σ_j e^(z_rj) − z_r,label) in nats
    /// (summed in double) and, when `countCorrect`, the rows whose largest logit (the first, on ties) is the label.
    ///
    /// e^x and ln x are float polynomials within 1 ulp of libm's on this function's arguments (tested in
    /// `TrainerLoopsTests`); a NaN or infinite logit makes the loss NaN or infinite, as with libm.
    /// - Parameters:
    ///   - logits: `rows × classes`.
    ///   - labels: `rows` class indices, each in `0..<classes` (checked).
    ///   - scale: the gradient's factor (1/batch rows for a mean loss).
    ///   - delta: `rows × classes`, overwritten; must not overlap `logits`.
    /// - Complexity: O(rows · classes).
    public static func softmaxCrossEntropy(
        logits: UnsafePointer<Float>, labels: UnsafePointer<Int32>, rows: Int, classes: Int, scale: Float,
        delta: UnsafeMutablePointer<Float>, countCorrect: Bool = false, instructionSet: InstructionSet? = nil
    ) -> (lossSum: Double, correct: Int) {
        precondition(classes >= 1 && rows >= 0, "softmaxCrossEntropy: \(rows) rows of \(classes) classes")
        for row in 0..<rows {
            precondition(labels[row] >= 0 && Int(labels[row]) < classes,
                         "softmaxCrossEntropy: label \(labels[row]) of row \(row) is outside 0..<\(classes)")
        }
        var correct = 0
        let set = checkedSet(instructionSet)
        let loss = countCorrect
            ? hpo_softmax_cross_entropy(set, logits, labels, rows, classes, scale, delta, &correct)
            : hpo_softmax_cross_entropy(set, logits, labels, rows, classes, scale, delta, nil)
        return (loss, correct)
    }

    /// `sums[j] = Σ_r matrix[r][j]` over a `rows × width` matrix, rows in order (a layer's bias gradient from δ).
    ///
    /// - Complexity: O(rows · width).
    public static func columnSums(
        _ matrix: UnsafePointer<Float>, rows: Int, width: Int, into sums: UnsafeMutablePointer<Float>,
        instructionSet: InstructionSet? = nil
    ) {
        hpo_column_sums(checkedSet(instructionSet), matrix, rows, width, sums)
    }

    /// `gradient[i] = 0` where `preactivation[i] ≤ 0`, over `count` values (ReLU's derivative; NaN keeps the value).
    ///
    /// - Complexity: O(count).
    public static func reluGradient(
        _ gradient: UnsafeMutablePointer<Float>, preactivation: UnsafePointer<Float>, count: Int,
        instructionSet: InstructionSet? = nil
    ) {
        hpo_relu_gradient(checkedSet(instructionSet), gradient, preactivation, count)
    }

    /// One SGD step with momentum over `count` parameters in one pass: `v ← momentum·v + g`, then `p ← p − rate·v`,
    /// or `p ← p − rate·(g + momentum·v)` with Nesterov momentum.
    ///
    /// - Complexity: O(count).
    public static func sgdMomentumStep(
        parameters: UnsafeMutablePointer<Float>, gradients: UnsafePointer<Float>, velocity: UnsafeMutablePointer<Float>,
        count: Int, rate: Float, momentum: Float, nesterov: Bool, instructionSet: InstructionSet? = nil
    ) {
        hpo_sgd_momentum(checkedSet(instructionSet), parameters, gradients, velocity, count, rate, momentum, nesterov ? 1 : 0)
    }

    /// A mini-batch by index, in one call: `rowsOut[r] = features[indices[r]]` (`width` floats each) and
    /// `labelsOut[r] = labels[indices[r]]` for `r < indices.count`.
    ///
    /// - Parameters:
    ///   - features: `sourceRows × width`.
    ///   - labels: `sourceRows` values.
    ///   - indices: rows to take, each in `0..<sourceRows` (checked before anything is written).
    ///   - rowsOut: `indices.count × width`, overwritten; `labelsOut`: `indices.count` values.
    /// - Complexity: O(indices.count · width).
    public static func gatherRows(
        features: UnsafePointer<Float>, labels: UnsafePointer<Int32>, sourceRows: Int, width: Int,
        indices: UnsafeBufferPointer<Int>, rowsOut: UnsafeMutablePointer<Float>, labelsOut: UnsafeMutablePointer<Int32>,
        instructionSet: InstructionSet? = nil
    ) {
        guard let first = indices.baseAddress else { return }
        let status = hpo_gather_rows(
            checkedSet(instructionSet), rowsOut, labelsOut, features, labels, sourceRows, width, first, indices.count)
        precondition(status == 0, "gatherRows: an index of \(Array(indices)) is outside 0..<\(sourceRows)")
    }

    /// `values[i] ← e^values[i]` by the softmax's float polynomial (arguments clamped to [−87.3, 88.3]; NaN stays
    /// NaN); for tests against libm.
    public static func exponentials(_ values: UnsafeMutableBufferPointer<Float>, instructionSet: InstructionSet? = nil) {
        guard let base = values.baseAddress else { return }
        hpo_exp_floats(checkedSet(instructionSet), base, values.count)
    }

    /// `values[i] ← ln values[i]` by the softmax's float polynomial, for normal positive floats; for tests against libm.
    public static func logarithms(_ values: UnsafeMutableBufferPointer<Float>, instructionSet: InstructionSet? = nil) {
        guard let base = values.baseAddress else { return }
        hpo_log_floats(checkedSet(instructionSet), base, values.count)
    }
}
