/// A labelled classification dataset held in memory: a dense float32 feature matrix and class indices.
public struct Dataset: Sendable, Hashable {
    /// `count × featureCount` values, row-major.
    public private(set) var features: [Float]
    /// `count` class indices, each in `0..<classCount`.
    public private(set) var labels: [Int32]
    /// Features per example, ≥ 1.
    public let featureCount: Int
    /// Class names in index order (e.g. "0"…"9" for digits).
    public let classNames: [String]
    /// Where the labels came from (file, column, how to choose another), for messages; nil for built-in data.
    public let labelSource: LabelColumnSource?

    /// Number of examples.
    public var count: Int { labels.count }
    /// Number of classes.
    public var classCount: Int { classNames.count }

    /// Creates a dataset after checking its shape.
    ///
    /// - Throws: `TrainerError.unusableData` when `features.count != labels.count × featureCount`,
    ///   a label is outside `0..<classNames.count`, or there are fewer than 2 classes.
    public init(
        features: [Float], labels: [Int32], featureCount: Int, classNames: [String], labelSource: LabelColumnSource? = nil
    ) throws(TrainerError) {
        guard featureCount >= 1 else { throw .unusableData("a dataset needs at least 1 feature, got \(featureCount)") }
        guard features.count == labels.count * featureCount else {
            throw .unusableData(
                "features hold \(features.count) values but \(labels.count) examples × \(featureCount) features = \(labels.count * featureCount)")
        }
        guard classNames.count >= 2 else {
            throw .unusableData("a classifier needs at least 2 classes, got \(classNames.count) (\(classNames))")
        }
        if let bad = labels.first(where: { $0 < 0 || Int($0) >= classNames.count }) {
            throw .unusableData("label index \(bad) is outside 0..<\(classNames.count)")
        }
        self.features = features
        self.labels = labels
        self.featureCount = featureCount
        self.classNames = classNames
        self.labelSource = labelSource
    }

    /// Same examples, features and classes; where the labels were read from does not count.
    public static func == (lhs: Dataset, rhs: Dataset) -> Bool {
        lhs.featureCount == rhs.featureCount && lhs.classNames == rhs.classNames && lhs.labels == rhs.labels
            && lhs.features == rhs.features
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(featureCount)
        hasher.combine(classNames)
        hasher.combine(labels)
        hasher.combine(features)
    }

    /// The examples at `indices`, in that order.
    public func subset(_ indices: [Int]) -> Dataset {
        var newFeatures: [Float] = []
        newFeatures.reserveCapacity(indices.count * featureCount)
        var newLabels: [Int32] = []
        newLabels.reserveCapacity(indices.count)
        for index in indices {
            newFeatures.append(contentsOf: features[(index * featureCount)..<((index + 1) * featureCount)])
            newLabels.append(labels[index])
        }
        var copy = self
        copy.features = newFeatures
        copy.labels = newLabels
        return copy
    }

    /// Applies `transform` to every feature value in place (used by `Standardizer`).
    mutating func transformFeatures(_ transform: (_ value: Float, _ column: Int) -> Float) {
        let width = featureCount
        features.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices { buffer[i] = transform(buffer[i], i % width) }
        }
    }
}
