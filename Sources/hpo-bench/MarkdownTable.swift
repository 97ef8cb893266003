/// A Markdown table printed row by row as a benchmark measures (`a | b | c`, then `---|---|---`), so a run's output
/// can be pasted into the docs as it is.
enum MarkdownTable {
    /// Prints the header row and the rule under it, one `---` per column.
    static func printHeader(_ columns: String...) {
        print(columns.joined(separator: " | "))
        print(Array(repeating: "---", count: columns.count).joined(separator: "|"))
    }

    /// Prints one row.
    static func printRow(_ cells: String...) {
        print(cells.joined(separator: " | "))
    }
}
