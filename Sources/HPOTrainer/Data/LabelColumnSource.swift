/// Where a loader read its labels, for messages: the file, the column and how a user picks another column.
public struct LabelColumnSource: Sendable, Hashable, CustomStringConvertible {
    /// The file (or the name given to in-memory text).
    public var path: String
    /// 0-based column index of the labels.
    public var index: Int
    /// The header's name for the column, when the file has a header.
    public var name: String?
    /// How the column was chosen, e.g. `the last column, used when no label option is set`.
    public var choice: String
    /// What a user sets to choose another column, e.g. `set the mlp option label to the class column's name or index`.
    public var remedy: String

    /// `label column index 13 ("proline", the last column, used when no label option is set)`.
    public var description: String {
        let details = [name.map { "\"\($0)\"" }, choice.isEmpty ? nil : choice].compactMap { $0 }
        return "label column index \(index)" + (details.isEmpty ? "" : " (\(details.joined(separator: ", ")))")
    }
}
