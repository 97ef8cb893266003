import Foundation
import Glibc
import HPORuntimeSupport
import HPOStudyFile

extension CommandObjective {
    /// Checks that the working directory exists and that argv[0] names a program that can start: an executable
    /// file for a path (relative paths are read from the working directory, as when the trial starts), else an
    /// executable found on this process's `PATH` (what `posix_spawnp` searches). An argv[0] with a `{placeholder}`
    /// is not checked.
    ///
    /// - Parameter relativeTo: where a relative path is read from when no working directory is given (e.g. "this
    ///   worker's working directory"), for the message.
    /// - Throws: `StudyFileError` for option `working_directory` or `argv`, naming the path as resolved.
    func checkFiles(relativeTo: String) throws(StudyFileError) {
        let directoryKey = "working_directory"
        if let workingDirectory {
            let resolved = FileChecks.absolute(workingDirectory)
            let note = workingDirectory.hasPrefix("/") ? "" : " (\(workingDirectory), relative to \(relativeTo))"
            guard FileChecks.entry(resolved) == .directory else {
                throw StudyFileError(
                    .objectiveFileUnusable, objective: "command", option: directoryKey,
                    "no such directory \(resolved)\(note); create it or fix working_directory")
            }
        }
        guard let first = template.arguments.first, first.allSatisfy({ if case .text = $0 { true } else { false } }),
              let program = argv.first, !program.isEmpty
        else { return }
        func fail(_ message: String) -> StudyFileError { StudyFileError(.objectiveFileUnusable, objective: "command", option: "argv", message) }
        if program.contains("/") {
            let base = workingDirectory.map { FileChecks.absolute($0) }
            let resolved = FileChecks.absolute(program, against: base)
            let note = program.hasPrefix("/") ? "" : " (\(program), relative to \(base ?? relativeTo))"
            switch FileChecks.entry(resolved) {
            case .missing:
                throw fail("argv[0]: no such file \(resolved)\(note); check the program's path")
            case .directory:
                throw fail("argv[0]: \(resolved)\(note) is a directory, not a program")
            case .file where !FileChecks.isExecutable(resolved):
                throw fail("argv[0]: \(resolved)\(note) is not executable; chmod +x it, or run it through its interpreter (e.g. [sh, \(program), ...])")
            case .file:
                return
            }
        }
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/bin:/usr/bin"
        for directory in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = FileChecks.absolute(program, against: directory.isEmpty ? nil : String(directory))
            if FileChecks.entry(candidate) == .file && FileChecks.isExecutable(candidate) { return }
        }
        throw fail("argv[0]: no program \"\(program)\" on PATH (\(searchPath)); install it, or give its path")
    }

    /// Creates a fresh directory for one trial's `$HPO_RESULT` and `$HPO_PRUNE_FILE`; the caller removes it.
    ///
    /// - Throws: `WorkerError` naming the path and the system's reason.
    static func scratchDirectory(for context: TrialContext) throws(WorkerError) -> String {
        let scratch = NSTemporaryDirectory() + "hpo-trial-\(context.trialID)-\(context.attempt)-\(UUID().uuidString)"
        guard mkdir(scratch, 0o700) == 0 else {
            throw WorkerError(.scratchDirectory, "cannot create the trial's scratch directory \(scratch): \(String(cString: strerror(errno)))")
        }
        return scratch
    }

    /// Removes a trial's scratch directory: the files hpo names in it, then the directory; anything else the
    /// program left there is removed recursively.
    static func removeScratchDirectory(_ scratch: String) {
        for name in ["result.json", "pruned", "pruned.partial"] { unlink(scratch + "/" + name) }
        if rmdir(scratch) != 0 { try? FileManager.default.removeItem(atPath: scratch) }
    }
}
