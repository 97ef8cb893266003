/// What a loader does with a row whose label is missing: empty, or a placeholder such as `?`, `NA` or `NaN`.
public enum MissingLabelPolicy: String, Sendable, Hashable, CaseIterable {
    /// Stop with an error naming the file, line and column (the default: a missing label is usually a mistake).
    case error
    /// Leave the row out of the dataset.
    case drop
}
