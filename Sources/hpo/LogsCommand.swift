import ArgumentParser
import Foundation
import Glibc
import HPOCoordinatorCore
import HPOCoordinatorRuntime
import HPOOutput
import HPORuntimeSupport
import HPOWorkerRuntime

/// `hpo logs`: prints a trial's log file (docs/trial-logs.md), or follows it until the trial finishes.
///
/// Exit status: 0; 66 when the trial has no log file (and `--follow` is not given); 65 when the journal (or study
/// file) cannot be read; 64 for usage.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a trial's output: its log file (stdout, stderr and the worker's lines about it).",
        discussion: """
            Reads DIR/trial-<N>.log, where DIR is the journal's path without its extension plus .logs (where hpo run's \
            workers write; hpo worker --trial-logs DIR elsewhere) or --dir. --follow prints what is written until the \
            journal says the trial (or the study) finished. Exit status 66 when the trial has no log, 65 when the \
            journal cannot be read.
            """
    )

    @Argument(help: "The study's journal (.db) or its study file (.yaml).")
    var path: String

    @Argument(help: ArgumentHelp("The trial's id (or give it as --trial N).", valueName: "trial"))
    var trialArgument: Int?

    @Option(name: .customLong("trial"), help: "The trial's id (the same as the TRIAL argument).")
    var trialOption: Int?

    /// The trial to print: the positional TRIAL or `--trial N` (validate() made sure exactly one is given).
    var trial: Int { trialArgument ?? trialOption ?? -1 }

    @Flag(name: .long, help: "Keep printing what is appended until the trial finishes (Ctrl-C stops).")
    var follow = false

    @Option(name: .long, help: "The trial log directory (default: the journal's path without extension, plus .logs).")
    var dir: String?

    func validate() throws {
        switch (trialArgument, trialOption) {
        case (nil, nil):
            throw ValidationError("missing the trial: give its id as hpo logs STUDY TRIAL (or --trial N)")
        case (let positional?, let option?) where positional != option:
            throw ValidationError(
                "the trial is given twice with different ids (TRIAL \(positional), --trial \(option)); give one")
        default:
            break
        }
        guard trial >= 0 else { throw ValidationError("TRIAL: expected a trial id ≥ 0, got \(trial)") }
    }

    func run() async throws {
        let journal = try StudyCommandSupport.exitingOnDataError { try StudyCommandSupport.journalPath(for: path) }
        let file = TrialLogPath.file(directory: dir ?? TrialLogPath.directory(forJournal: journal), trial: trial)
        guard follow else {
            guard let data = FileManager.default.contents(atPath: file) else {
                StudyCommandSupport.writeError(OutputError(
                    .logNotFound, "no log for trial \(trial) at \(file); the trial may not have started, or its worker keeps "
                        + "its logs elsewhere (hpo worker --trial-logs DIR; then pass --dir DIR)").errorLine)
                throw ExitCode(66)
            }
            FileHandle.standardOutput.write(data)
            return
        }
        var offset: UInt64 = 0
        var done = false
        while true {
            // Read what the file holds now; once the journal says the trial is over, one last read and stop.
            if let handle = FileHandle(forReadingAtPath: file) {
                try? handle.seek(toOffset: offset)
                if let data = try? handle.readToEnd(), !data.isEmpty {
                    FileHandle.standardOutput.write(data)
                    offset += UInt64(data.count)
                }
                try? handle.close()
            }
            if done { return }
            done = Self.isOver(trial: trial, journal: journal)
            if !done { try await Task.sleep(for: .milliseconds(200)) }
        }
    }

    /// Whether the journal says the trial finished, or the study ended with the trial not running.
    static func isOver(trial: Int, journal: String) -> Bool {
        guard let history = try? StudyHistory.load(journalPath: journal) else { return false }
        let state = history.trials.first { $0.id == trial }?.state
        return state == .completed || state == .failed || (history.finished != nil && state != .running)
    }
}
