public import HPOErrors

/// Why a study file, or the objective it names, was rejected: the study-file role's one error type.
///
/// Names the file, the key path and the line, echoes the value and says what to do. Objective problems (the options
/// or parameters do not fit the objective, or its kind is not in this build) are raised before a study starts
/// (`ObjectiveFactory.validate`) and when a worker builds an objective for a trial (`ObjectiveFactory.make`); those
/// carry the objective's kind and the option at fault. `code` is stable and machine-readable (docs/study-file.md,
/// *Error codes*); `hpo` prints it as `error[code]: …`.
///
/// Example: `digits.yaml:7: budget.trials: expected a positive integer, got "ten"; write a whole number such as 100`.
public struct StudyFileError: CodedError, Sendable, Hashable {
    /// The class of problem; its raw value is the stable code.
    public enum Code: String, StableErrorCode {
        /// The file cannot be opened or read, or is a directory.
        case fileUnreadable = "file_unreadable"
        /// The file is larger than a study file may be.
        case fileTooLarge = "file_too_large"
        /// The file is not UTF-8.
        case notUTF8 = "not_utf8"
        /// The file is empty.
        case emptyFile = "empty_file"
        /// The text is not YAML hpo reads (syntax, nesting depth, aliases, non-scalar keys).
        case yamlSyntax = "yaml_syntax"
        /// A key appears twice in one mapping.
        case duplicateKey = "duplicate_key"
        /// A key hpo does not know (with a spelling suggestion when one is close).
        case unknownKey = "unknown_key"
        /// A required key is missing.
        case missingKey = "missing_key"
        /// A value of the wrong type, out of range, or contradicting another key.
        case invalidValue = "invalid_value"
        /// The search space (`space:`) is not valid.
        case invalidSpace = "invalid_space"
        /// An enqueued trial (`enqueue:`) does not fit the search space.
        case invalidEnqueue = "invalid_enqueue"
        /// `objective.kind` names no objective hpo knows.
        case objectiveUnknownKind = "objective_unknown_kind"
        /// The objective kind exists but this build (or this worker's `--objectives`) does not run it.
        case objectiveNotInBuild = "objective_not_in_build"
        /// An objective option is unknown, of the wrong type or out of range.
        case objectiveInvalidOption = "objective_invalid_option"
        /// The study's parameters do not fit what the objective takes.
        case objectiveParameterMismatch = "objective_parameter_mismatch"
        /// A file or directory the objective needs is missing or unusable (`argv[0]`, `working_directory`, data).
        case objectiveFileUnusable = "objective_file_unusable"
    }

    /// The class of problem.
    public var code: Code
    /// The study file, when loaded from one.
    public var file: String?
    /// The key path at fault (`budget.trials`, `space.lr`), empty for the whole document.
    public var keyPath: String
    /// The 1-based line in the file, when known.
    public var line: Int?
    /// The objective kind concerned (e.g. `"test-function"`) for an objective problem raised outside a file.
    public var objectiveKind: String?
    /// The objective option at fault (`path`, `argv`, `working_directory`), when one option is; study files use it
    /// for the key path and line of the error.
    public var option: String?
    /// What was wrong and what to do.
    public var message: String

    /// A problem at `keyPath` (and `line`) of `file`.
    public init(_ code: Code, file: String? = nil, keyPath: String, line: Int? = nil, _ message: String) {
        self.code = code
        self.file = file
        self.keyPath = keyPath
        self.line = line
        self.message = message
    }

    /// A problem with an objective of `kind`, found by the objective's own checks (no file or line known yet).
    public init(_ code: Code, objective kind: String, option: String? = nil, _ message: String) {
        self.init(code, keyPath: "", message)
        self.objectiveKind = kind
        self.option = option
    }

    /// `file:line: key.path: message` leaving out the parts that are unknown, or `objective "kind": message`.
    public var description: String {
        if let objectiveKind, file == nil, keyPath.isEmpty { return "objective \"\(objectiveKind)\": \(message)" }
        var location = file ?? ""
        if let line { location += location.isEmpty ? "line \(line)" : ":\(line)" }
        var text = location.isEmpty ? "" : location + ": "
        if !keyPath.isEmpty { text += keyPath + ": " }
        return text + message
    }
}
