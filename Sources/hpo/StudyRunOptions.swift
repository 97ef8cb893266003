import ArgumentParser
import Foundation
import HPOCoordinatorCore
import HPOCoordinatorRuntime
import HPOOutput
import HPOStudyFile
import Logging

/// The flags `hpo run` and `hpo coordinator` share: the journal (`--resume`, `--overwrite`), the output (`--json`,
/// `--no-progress`, `--quiet`, `--log-level`), `--batch-size`, `--cancel-on-stop` and `--insecure`; `Role` gives each
/// command its help texts.
struct StudyRunOptions<Role: StudyRunRole>: ParsableArguments {
    @OptionGroup var journal: JournalStartOptions

    @Flag(name: .long, help: "Print the result as JSON on standard output.")
    var json = false

    @Option(name: .long, help: ArgumentHelp(Role.batchSizeHelp))
    var batchSize: Int?

    @Flag(name: .long, help: ArgumentHelp(Role.cancelOnStopHelp))
    var cancelOnStop = false

    @Option(name: .long, help: ArgumentHelp(Role.logLevelHelp))
    var logLevel: String?

    @OptionGroup var progress: ProgressOptions

    @Flag(name: .long, help: ArgumentHelp(Role.insecureHelp))
    var insecure = false

    func validate() throws {
        if let batchSize, batchSize < 1 {
            throw ValidationError("--batch-size: expected at least 1, got \(batchSize)")
        }
        try LogLevelArgument.validate(logLevel)
    }

    /// `--log-level`, else warning with `--quiet` or when `quietByDefault` (a terminal under `hpo run`), else info.
    func level(quietByDefault: Bool = false) -> Logger.Level {
        logLevel.flatMap(Logger.Level.init(rawValue:)) ?? (quietByDefault || progress.quiet ? .warning : .info)
    }

    /// The session's options from these flags: `bind` overrides transport.bind; the batch is `--batch-size`, else
    /// `defaultBatchSize` (nil: the live workers' slots when a batch starts).
    func sessionOptions(bind: String? = nil, defaultBatchSize: Int? = nil) -> StudySessionOptions {
        var options = StudySessionOptions(
            resume: journal.resume, bind: bind, syncBatchSize: batchSize ?? defaultBatchSize,
            cancelRunningOnStop: cancelOnStop)
        options.overwrite = journal.overwrite
        options.insecure = insecure
        return options
    }

    /// Prints the study's result on standard output (JSON with `--json`; how to resume when it was interrupted) and
    /// returns its exit status for the command to throw: 0 completed, 1 failed, 3 exhausted, 130 interrupted.
    func printResult(_ summary: StudySummary, config: StudyConfig) -> ExitCode {
        print(StudyReport.render(summary, config: config, json: json, resumeCommand: ShellQuoting.resuming(CommandLine.arguments)))
        return ExitCode(StudyReport.exitCode(summary))
    }
}
