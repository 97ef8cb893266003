/// What differs between `hpo run` and `hpo coordinator` in their `StudyRunOptions`: the help texts. The defaults
/// are `hpo coordinator`'s; `hpo run` words them for its local workers.
protocol StudyRunRole {
    /// `--batch-size`'s help text: what the default batch is.
    static var batchSizeHelp: String { get }
    /// `--cancel-on-stop`'s help text.
    static var cancelOnStopHelp: String { get }
    /// `--log-level`'s help text.
    static var logLevelHelp: String { get }
    /// `--insecure`'s help text.
    static var insecureHelp: String { get }
}

extension StudyRunRole {
    static var batchSizeHelp: String { "Sync batch mode: trials per batch (default: the live workers' slots when a batch starts)." }
    static var cancelOnStopHelp: String { "On the first SIGINT/SIGTERM, cancel running trials instead of letting them finish." }
    static var logLevelHelp: String { "Log level: trace, debug, info, notice, warning, error, critical (default: info; warning with --quiet)." }
    static var insecureHelp: String { "Allow a non-loopback --bind without CURVE (trusted networks only; a warning is logged at every start)." }
}
