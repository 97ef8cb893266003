/// A training/validation split of a dataset.
public struct DatasetSplit: Sendable, Hashable {
    /// The part the network learns from.
    public var training: Dataset
    /// The held-out part whose accuracy is reported.
    public var validation: Dataset
    /// Positions (in the original dataset, ascending) of the validation examples.
    public var validationIndices: [Int]

    /// Splits `dataset` class by class so both parts keep its class proportions.
    ///
    /// Each class's examples are shuffled with `seed`; `round(fraction × classSize)` of them (at least 1
    /// and at most classSize − 1) go to validation. Both parts keep the original example order.
    /// - Throws: `TrainerError` when `validationFraction` is not in (0, 1) or a class has fewer than 2 examples.
    public init(stratifying dataset: Dataset, validationFraction: Double, seed: UInt64) throws(TrainerError) {
        guard validationFraction > 0, validationFraction < 1 else {
            throw .invalidConfiguration("validation_fraction must be in (0, 1), got \(validationFraction)")
        }
        var byClass = [[Int]](repeating: [], count: dataset.classCount)
        for (index, label) in dataset.labels.enumerated() { byClass[Int(label)].append(index) }
        var random = TrainerRandom(seed: seed ^ 0x5EED_5971_7A11_D0E5)
        var isValidation = [Bool](repeating: false, count: dataset.count)
        let singletons = byClass.indices.filter { byClass[$0].count == 1 }
        if !singletons.isEmpty {
            let examples = singletons.prefix(5).map { "\"\(dataset.classNames[$0])\"" }.joined(separator: ", ")
            let more = singletons.count > 5 ? ", ..." : ""
            let origin = dataset.labelSource.map { "\($0.path): in the \($0), " } ?? ""
            let remedy = dataset.labelSource.map { ", or \($0.remedy)" } ?? ""
            throw .unusableData(
                "\(origin)\(singletons.count) of the \(dataset.classCount) classes \(singletons.count == 1 ? "has" : "have") a single example (\(examples)\(more)); a stratified split needs at least 2 per class: add examples or drop those rows\(remedy)")
        }
        for var members in byClass where !members.isEmpty {
            random.shuffle(&members)
            let wanted = (validationFraction * Double(members.count)).rounded()
            let take = min(max(Int(wanted), 1), members.count - 1)
            for index in members.prefix(take) { isValidation[index] = true }
        }
        let all = Array(0..<dataset.count)
        validationIndices = all.filter { isValidation[$0] }
        training = dataset.subset(all.filter { !isValidation[$0] })
        validation = dataset.subset(validationIndices)
    }

    /// Standardizes both parts with the mean and standard deviation of the training part only.
    public func standardized() -> DatasetSplit {
        let standardizer = Standardizer(fitting: training)
        var copy = self
        copy.training = standardizer.apply(to: training)
        copy.validation = standardizer.apply(to: validation)
        return copy
    }
}

/// Per-feature standardization `(x − mean) / std`, fitted on one dataset and applied to others.
///
/// A constant feature (std 0) keeps scale 1, so it becomes 0 everywhere instead of NaN.
public struct Standardizer: Sendable, Hashable {
    /// Per-feature means.
    public let means: [Float]
    /// Per-feature (population) standard deviations; 1 where a feature is constant.
    public let deviations: [Float]

    /// Fits means and deviations on `dataset` (in double precision).
    public init(fitting dataset: Dataset) {
        let width = dataset.featureCount
        var sums = [Double](repeating: 0, count: width)
        var squares = [Double](repeating: 0, count: width)
        for (i, value) in dataset.features.enumerated() {
            sums[i % width] += Double(value)
        }
        let n = Double(max(dataset.count, 1))
        let means = sums.map { $0 / n }
        for (i, value) in dataset.features.enumerated() {
            let d = Double(value) - means[i % width]
            squares[i % width] += d * d
        }
        self.means = means.map { Float($0) }
        deviations = squares.map { sum in
            let deviation = (sum / n).squareRoot()
            return deviation > 1e-12 ? Float(deviation) : 1
        }
    }

    /// `dataset` with every feature standardized.
    public func apply(to dataset: Dataset) -> Dataset {
        precondition(dataset.featureCount == means.count, "standardizer fitted on \(means.count) features, got \(dataset.featureCount)")
        var copy = dataset
        let means = self.means
        let scales = deviations.map { 1 / $0 }
        copy.transformFeatures { value, column in (value - means[column]) * scales[column] }
        return copy
    }
}
