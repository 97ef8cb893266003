import ArgumentParser

/// `--no-progress` and `--quiet`, shared by `hpo run` and `hpo coordinator`: the live view, progress lines and
/// the default log level.
struct ProgressOptions: ParsableArguments {
    @Flag(name: .long, help: "No live view on a terminal, and no periodic progress line elsewhere.")
    var noProgress = false

    @Flag(name: .long, help: "No live view or progress lines, and only warnings and errors in the log unless --log-level says otherwise; the final summary is still printed.")
    var quiet = false

    /// True when neither the live view nor the periodic progress line is shown.
    var hidesProgress: Bool { noProgress || quiet }
}
