/// What a loader made of a data file, so a user can check it read the data as they meant: rows, features, classes
/// with their counts, the label column and the split sizes.
public struct DataSummary: Sendable, Hashable, CustomStringConvertible {
    /// The file (or `digits (bundled)`).
    public var source: String
    /// Examples kept after loading (rows dropped for a missing label are not counted).
    public var rows: Int
    public var features: Int
    /// Class names and their example counts, in class order.
    public var classes: [(name: String, count: Int)]
    /// Where the labels came from, e.g. `label column index 4 ("class", ...)`; nil for built-in data.
    public var labelColumn: String?
    public var trainingRows: Int
    public var validationRows: Int

    /// The summary of `split`, made from `source`.
    public init(source: String, split: DatasetSplit) {
        self.source = source
        let all = split.training.count + split.validation.count
        rows = all
        features = split.training.featureCount
        var counts = [Int](repeating: 0, count: split.training.classCount)
        for label in split.training.labels { counts[Int(label)] += 1 }
        for label in split.validation.labels { counts[Int(label)] += 1 }
        classes = zip(split.training.classNames, counts).map { ($0, $1) }
        labelColumn = split.training.labelSource?.description
        trainingRows = split.training.count
        validationRows = split.validation.count
    }

    /// `data/wine.csv: 178 rows, 13 features, 3 classes (1: 59, 2: 71, 3: 48), label column index 0 ("target"),
    /// split 142 training / 36 validation` (at most 12 classes listed).
    public var description: String {
        let listed = classes.prefix(12).map { "\($0.name): \($0.count)" }.joined(separator: ", ")
        let more = classes.count > 12 ? ", ..." : ""
        let label = labelColumn.map { ", \($0)" } ?? ""
        return "\(source): \(rows) rows, \(features) features, \(classes.count) classes (\(listed)\(more))\(label), split \(trainingRows) training / \(validationRows) validation"
    }

    public static func == (lhs: DataSummary, rhs: DataSummary) -> Bool { lhs.description == rhs.description }
    public func hash(into hasher: inout Hasher) { hasher.combine(description) }
}
