import HPOMath

/// The GP posterior at a fixed set of m candidates, kept current while a batch's fantasies join the model: each new
/// model row costs O(n·m) (one `dgemv` and m kernel values) instead of the O(n²·m) `dtrsm` of scoring from scratch.
///
/// When the model grows by a row r (constant liar: ``GaussianProcess/conditioned(onFantasy:value:)``), its Cholesky
/// factor gains the row [lᵀ, δ] and the whitened cross-covariances V = L⁻¹·k(X, C) gain the row
/// v_r(c) = (k(x_r, c) − lᵀ·V_c) / δ; the standardized mean at c gains v_r(c)·z_r (z = L⁻¹·y) and the variance
/// loses v_r(c)². The result equals ``GaussianProcess/posterior(batch:)`` on the grown model up to rounding (tested).
///
/// ``BayesianOptimizer`` scores one candidate set per `ask` this way: the first proposal draws and scores it, the
/// later proposals of the batch re-rank the same candidates under their fantasies (docs/gaussian-process.md,
/// *Where the time goes*).
struct CandidatePosterior {
    /// The m candidates (unit cube).
    let points: [[Double]]
    /// Model rows the posterior is conditioned on (the first `baseRows` in `whitened`, the rest in `extraRows`).
    private(set) var rowCount: Int
    /// Rows of the model when the candidates were scored from scratch.
    private let baseRows: Int
    /// V for the first `baseRows` model rows: baseRows × m, column c for candidate c.
    private let whitened: Matrix
    /// The rows added since, as the columns of an m × (rowCount − baseRows) column-major matrix.
    private var extraRows: [Double] = []
    /// Candidates divided by the length scales, point-major (m × d).
    private let scaledPoints: [Double]
    /// k(X, c)ᵀ·K⁻¹·y per candidate (standardized units).
    private(set) var standardizedMeans: [Double]
    /// σ² − k(X, c)ᵀ·K⁻¹·k(X, c) per candidate (standardized units, before the variance floor).
    private(set) var standardizedVariances: [Double]

    /// Scores `points` from scratch on `model`.
    ///
    /// - Parameters:
    ///   - model: the GP (its hyperparameters stay those of every model later passed to ``update(to:)``).
    ///   - points: m ≥ 1 candidates of the model's dimension.
    /// - Complexity: O(n·m·d + n²·m), as ``GaussianProcess/posterior(batch:)``; memory n·m doubles.
    init(model: GaussianProcess, points: [[Double]]) {
        let batch = model.whitenedBatch(points)
        self.points = points
        self.rowCount = model.pointCount
        self.baseRows = model.pointCount
        self.whitened = batch.whitened
        self.standardizedMeans = batch.standardizedMeans
        self.standardizedVariances = batch.standardizedVariances
        let inverse = model.inverseLengthScales
        self.scaledPoints = points.flatMap { point in point.indices.map { point[$0] * inverse[$0] } }
    }

    /// Conditions the candidates' posterior on the rows `model` has gained since the last update.
    ///
    /// - Parameter model: this posterior's model grown by fantasies (same hyperparameters and training rows first).
    /// - Complexity: O((n + k)·m + m·d) per new row.
    mutating func update(to model: GaussianProcess) {
        precondition(model.pointCount >= rowCount, "CandidatePosterior: the model lost rows (\(model.pointCount) < \(rowCount))")
        let m = points.count
        let d = model.dimension
        let size = model.pointCount
        let signal = model.hyperparameters.signalVariance
        var newRow = [Double](repeating: 0, count: m)
        var scratch = [Double](repeating: 0, count: m)
        let lower = model.factor.lower.elements
        for r in rowCount..<size {
            // lᵀ·V_c over the base rows (one dgemv) and the rows added since.
            let base = (0..<baseRows).map { lower[r + $0 * size] }
            var overlap = whitened.transposeMultiplied(by: base)
            let extraCount = r - baseRows
            if extraCount > 0, let extra = try? Matrix(rows: m, columns: extraCount, elements: extraRows) {
                let tail = (baseRows..<r).map { lower[r + $0 * size] }
                let more = extra.multiplied(by: tail)
                for c in 0..<m { overlap[c] += more[c] }
            }
            newRow.withUnsafeMutableBufferPointer { values in
                model.scaledPoints.elements[(r * d)..<(r * d + d)].withUnsafeBufferPointer { point in
                    scaledPoints.withUnsafeBufferPointer { candidates in
                        VectorKernels.squaredDistances(from: point, to: candidates, into: values)
                    }
                }
                scratch.withUnsafeMutableBufferPointer { scratch in
                    MaternKernel.correlations(values, signal: signal, scratch: scratch)
                }
            }
            let diagonal = lower[r + r * size]
            let whitenedTarget = model.whitenedTargets[r]
            for c in 0..<m {
                let v = (newRow[c] - overlap[c]) / diagonal
                newRow[c] = v
                standardizedMeans[c] += v * whitenedTarget
                standardizedVariances[c] -= v * v
            }
            extraRows.append(contentsOf: newRow)
        }
        rowCount = size
    }

    /// The acquisition value at each candidate under `model` (the model this posterior was last updated to),
    /// −∞ where it is not a number.
    func scores(model: GaussianProcess, acquisition: AcquisitionFunction, best: Double) -> [Double] {
        zip(standardizedMeans, standardizedVariances).map { mean, variance in
            let value = acquisition.value(
                mean: model.targetMean + model.targetScale * mean, variance: model.scaledVariance(variance), best: best)
            return value.isNaN ? -.infinity : value
        }
    }
}
