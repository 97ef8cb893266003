import Foundation
import HPOTestSupport
import HPOWire
import Testing
import HPOObjectives
import HPOStudyFile

/// Objective files checked before a study starts (`hpo run`, local workers) and precise on remote workers.
@Suite struct ObjectiveFileCheckTests {
    /// A fresh directory holding `study.yaml` with `objective`, plus `files` (name -> contents).
    private static func studyDirectory(objective: String, files: [String: String] = [:]) throws -> (directory: String, study: String) {
        let directory = try EndToEnd.directory().path
        for (name, contents) in files {
            let path = directory + "/" + name
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try contents.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let yaml = """
            name: files
            space:
              lr: {type: float, low: 0.001, high: 0.1, log: true}
            budget: {trials: 2, max_failures: 2}
            objective:
            \(objective.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))

            """
        try yaml.write(toFile: directory + "/study.yaml", atomically: true, encoding: .utf8)
        return (directory, directory + "/study.yaml")
    }

    /// Two separable classes, enough rows for a stratified split.
    private static let goodCSV = (["x,side"] + (0..<20).map { "\($0 < 10 ? -1 - $0 : 1 + $0),\($0 < 10 ? "left" : "right")" })
        .joined(separator: "\n")

    private static func loadError(_ study: String, localWorkers: Bool = true) -> StudyFileError? {
        do {
            _ = try StudyConfig.load(contentsOf: study, localWorkers: localWorkers)
            return nil
        } catch {
            return error
        }
    }

    @Test func aMissingCSVIsAStudyFileErrorAtObjectivePathWithItsLine() throws {
        let (directory, study) = try Self.studyDirectory(objective: "kind: mlp\ndataset: csv\npath: data/absent.csv")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let error = try #require(Self.loadError(study))
        #expect(error.keyPath == "objective.path")
        #expect(error.line == 8)
        #expect(error.description.hasPrefix("\(study):8: objective.path: no such file \(directory)/data/absent.csv"))
        #expect(error.message.contains("read relative to the study file's directory \(directory)"))
        // Remote workers resolve paths themselves: the coordinator leaves the path alone.
        #expect(Self.loadError(study, localWorkers: false) == nil)
    }

    @Test func aMalformedCSVIsReportedWithItsLineBeforeTheStudyStarts() throws {
        let (directory, study) = try Self.studyDirectory(
            objective: "kind: mlp\ndataset: csv\npath: bad.csv\nlabel: side", files: ["bad.csv": "x,side\n1,left\noops,right\n"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let error = try #require(Self.loadError(study))
        #expect(error.keyPath == "objective.path")
        #expect(error.message.contains("\(directory)/bad.csv:3:1: feature value \"oops\" is not a number"), "\(error)")
    }

    @Test func relativeDataPathsAndWorkingDirectoriesResolveAgainstTheStudyFilesDirectory() throws {
        let (directory, study) = try Self.studyDirectory(
            objective: "kind: mlp\ndataset: csv\npath: data/good.csv\nlabel: side", files: ["data/good.csv": Self.goodCSV])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let local = try StudyConfig.load(contentsOf: study, localWorkers: true)
        #expect(local.objective.options["path"] == .string(directory + "/data/good.csv"))
        let remote = try StudyConfig.load(contentsOf: study)
        #expect(remote.objective.options["path"] == .string("data/good.csv"))

        try FileManager.default.createDirectory(atPath: directory + "/runs", withIntermediateDirectories: true)
        let commandStudy = directory + "/command.yaml"
        try """
            name: command
            space: {lr: {type: float, low: 0.001, high: 0.1}}
            budget: {trials: 1}
            objective: {kind: command, argv: [sh, -c, "echo {lr}"], cwd: runs}
            """.write(toFile: commandStudy, atomically: true, encoding: .utf8)
        let command = try StudyConfig.load(contentsOf: commandStudy, localWorkers: true)
        #expect(command.objective.options["cwd"] == .string(directory + "/runs"))
    }

    @Test func aMissingProgramOrWorkingDirectoryIsAStudyFileError() throws {
        let (directory, study) = try Self.studyDirectory(objective: "kind: command\nargv: [hpo-no-such-program-42, \"{lr}\"]")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let error = try #require(Self.loadError(study))
        #expect(error.keyPath == "objective.argv")
        #expect(error.message.contains("no program \"hpo-no-such-program-42\" on PATH"), "\(error)")

        let (other, relative) = try Self.studyDirectory(objective: "kind: command\nargv: [./train.sh, \"{lr}\"]\ncwd: work")
        defer { try? FileManager.default.removeItem(atPath: other) }
        let noDirectory = try #require(Self.loadError(relative))
        #expect(noDirectory.keyPath == "objective.cwd")
        #expect(noDirectory.message.hasPrefix("no such directory \(other)/work"), "\(noDirectory)")

        try FileManager.default.createDirectory(atPath: other + "/work", withIntermediateDirectories: true)
        let noScript = try #require(Self.loadError(relative))
        #expect(noScript.keyPath == "objective.argv")
        #expect(noScript.message.hasPrefix("argv[0]: no such file \(other)/work/train.sh"), "\(noScript)")

        try "#!/bin/sh\necho '{\"hpo\": {\"accuracy\": 1}}'\n".write(toFile: other + "/work/train.sh", atomically: true, encoding: .utf8)
        let notExecutable = try #require(Self.loadError(relative))
        #expect(notExecutable.message.contains("is not executable"), "\(notExecutable)")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: other + "/work/train.sh")
        #expect(Self.loadError(relative) == nil)
    }

    @Test func aWorkerNamesItsWorkingDirectoryWhenTheDataIsMissing() throws {
        let descriptor = ObjectiveDescriptor(kind: "mlp", options: ["dataset": .string("csv"), "path": .string("hpo-absent-\(UUID().uuidString).csv")])
        let cwd = FileManager.default.currentDirectoryPath
        do {
            _ = try ObjectiveFactory.make(descriptor)
            Issue.record("expected the missing file to be reported when the worker builds the objective")
        } catch let error as StudyFileError {
            #expect(error.option == "path")
            #expect(error.message.hasPrefix("no such file \(cwd)/hpo-absent-"), "\(error)")
            #expect(error.message.contains("this worker's working directory \(cwd)"), "\(error)")
        }
        let command = ObjectiveDescriptor(kind: "command", options: ["argv": .array([.string("/nonexistent/hpo-train")])])
        #expect(throws: StudyFileError.self) { _ = try ObjectiveFactory.make(command) }
    }

    @Test func hpoRunExitsWithDataErrorBeforeAnyTrialWhenTheCSVIsMissing() throws {
        let (directory, study) = try Self.studyDirectory(objective: "kind: mlp\ndataset: csv\npath: absent.csv")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try HPOProcess(["run", study, "--workers", "1"])
        let status = run.wait(timeout: 60)
        #expect(status == 65, "stderr: \(run.standardError)")
        #expect(run.standardError.contains("\(study):8: objective.path: no such file \(directory)/absent.csv"), "stderr: \(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/files.db"), "no journal: the study never started")
    }
}
