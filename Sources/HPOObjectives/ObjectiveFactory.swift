import Foundation
public import HPOSearchSpace
import HPOTrainer
public import HPOWire
import HPORuntimeSupport
public import HPOStudyFile

/// Turns an objective descriptor (kind + options from the study file) into something a worker can run.
///
/// `validate` runs on the coordinator before a study starts, so that a typo in an option or a parameter the objective
/// does not take is reported at once, not after the first trial fails on every worker. `make` runs on a worker for
/// each distinct descriptor it receives (the worker caches the result). Each kind's options are listed with its type.
public enum ObjectiveFactory {
    /// The objective kinds this build can run, advertised by workers in READY.
    public static let availableKinds: [String] = ["test-function", "null", "mlp", "command"]

    /// Builds the objective for `descriptor`.
    ///
    /// - Throws: `StudyFileError` for an unknown kind, a kind not in this build, or bad options.
    public static func make(_ descriptor: ObjectiveDescriptor) throws -> any Objective {
        switch descriptor.kind {
        case "test-function":
            return try TestFunctionObjective(options: descriptor.options)
        case "null":
            try NullObjective.checkOptions(descriptor.options)
            return NullObjective()
        case "mlp":
            let objective = try MLPObjective(options: descriptor.options)
            try objective.checkFiles(readsData: false, relativeTo: workerDirectoryNote)
            return objective
        case "command":
            let objective = try CommandObjective(options: descriptor.options)
            try objective.checkFiles(relativeTo: workerDirectoryNote)
            return objective.persistent ? PersistentCommandObjective(objective) : objective
        default:
            throw unknownKind(descriptor.kind)
        }
    }

    /// Where a worker reads relative paths from, for messages: they are resolved on each worker.
    private static var workerDirectoryNote: String {
        "this worker's working directory \(FileManager.default.currentDirectoryPath); "
            + "a worker reads the study's paths itself: give an absolute path, or start hpo worker in the right directory"
    }

    /// `hpo run` (local workers): `objective.path` (mlp) and `working_directory`/`cwd` (command) made absolute
    /// against `directory`, the study file's; absolute paths and other kinds are kept as they are.
    public static func resolvingRelativePaths(_ descriptor: ObjectiveDescriptor, against directory: String) -> ObjectiveDescriptor {
        let keys: [String]
        switch descriptor.kind {
        case "mlp": keys = ["path"]
        case "command": keys = ["working_directory", "cwd"]
        default: keys = []
        }
        var resolved = descriptor
        for key in keys {
            if case .string(let path)? = descriptor.options[key], !path.isEmpty {
                resolved.options[key] = .string(FileChecks.absolute(path, against: directory))
            }
        }
        return resolved
    }

    /// Checks, before a study starts, the files `descriptor` needs, as this process sees them: the mlp data (with
    /// `readsData`, loaded and split once so a malformed file is reported now) and the command's working directory
    /// and argv[0]. Other kinds need no files. Call it after ``validate(_:space:)``.
    ///
    /// - Parameter relativeTo: where relative paths are read from, for messages.
    /// - Throws: `StudyFileError` whose `option` names the option at fault.
    @discardableResult
    public static func checkFiles(
        _ descriptor: ObjectiveDescriptor, readsData: Bool, relativeTo: String = "this process's working directory"
    ) throws(StudyFileError) -> String? {
        switch descriptor.kind {
        case "mlp":
            return try MLPObjective(options: descriptor.options).checkFiles(readsData: readsData, relativeTo: relativeTo)?
                .description
        case "command":
            try CommandObjective(options: descriptor.options).checkFiles(relativeTo: relativeTo)
            return nil
        default:
            return nil
        }
    }

    /// Checks `descriptor`'s options and that `space`'s parameters are what the objective takes.
    ///
    /// - Throws: `StudyFileError` naming the option or parameter and saying what to do.
    public static func validate(_ descriptor: ObjectiveDescriptor, space: SearchSpace) throws {
        switch descriptor.kind {
        case "test-function":
            try TestFunctionObjective(options: descriptor.options).validate(space: space)
        case "null":
            try NullObjective.checkOptions(descriptor.options)
        case "mlp":
            try MLPObjective(options: descriptor.options).validate(space: space)
        case "command":
            try CommandObjective(options: descriptor.options).validate(space: space)
        default:
            throw unknownKind(descriptor.kind)
        }
    }

    private static func notInThisBuild(_ kind: String) -> StudyFileError {
        StudyFileError(
            .objectiveNotInBuild, objective: kind,
            "not available in this build (this build runs: \(availableKinds.joined(separator: ", "))); "
                + "use a worker built with the \(kind) objective"
        )
    }

    private static func unknownKind(_ kind: String) -> StudyFileError {
        StudyFileError(
            .objectiveUnknownKind, objective: kind,
            "unknown objective kind; use one of: \(Set(availableKinds + ["mlp", "command"]).sorted().joined(separator: ", "))"
        )
    }
}
