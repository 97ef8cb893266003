/// Why a study file was rejected: names the file, the key path and the line, echoes the value and says what to do.
///
/// Example: `digits.yaml:7: budget.trials: expected a positive integer, got "ten"; write a whole number such as 100`.
public struct StudyConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The study file, when loaded from one.
    public var file: String?
    /// The key path at fault (`budget.trials`, `space.lr`), empty for the whole document.
    public var keyPath: String
    /// The 1-based line in the file, when known.
    public var line: Int?
    /// What was wrong and what to do.
    public var message: String

    public init(file: String? = nil, keyPath: String, line: Int? = nil, _ message: String) {
        self.file = file
        self.keyPath = keyPath
        self.line = line
        self.message = message
    }

    /// `file:line: key.path: message`, leaving out the parts that are unknown.
    public var description: String {
        var location = file ?? ""
        if let line { location += location.isEmpty ? "line \(line)" : ":\(line)" }
        var text = location.isEmpty ? "" : location + ": "
        if !keyPath.isEmpty { text += keyPath + ": " }
        return text + message
    }
}
