/// Why the trainer or a dataset loader refused its input. Each message names the value, where it
/// was found (file, line, column) and what to do.
public enum TrainerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A training setting is out of range, e.g. "dropout must be in [0, 1), got 1.5".
    case invalidConfiguration(String)
    /// A data file could not be read or decoded (missing file, bad gzip, bad IDX header).
    case unreadableFile(path: String, reason: String)
    /// A data file has a malformed entry at `line` (1-based) and `column` (1-based field or byte position).
    case malformedData(path: String, line: Int, column: Int, reason: String)
    /// The data as a whole cannot be used (too few rows, a class too small to split, mismatched shapes).
    case unusableData(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let message):
            return "invalid training configuration: \(message)"
        case .unreadableFile(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .malformedData(let path, let line, let column, let reason):
            return "\(path):\(line):\(column): \(reason)"
        case .unusableData(let message):
            return "unusable data: \(message)"
        }
    }
}
