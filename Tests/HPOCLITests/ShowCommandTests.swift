import Foundation
import HPOTestSupport
import Testing

/// `hpo show` and `hpo worker` on bad input: a clear message and the documented exit status, never a crash.
@Suite struct ShowAndWorkerInputTests {
    private static func temporaryFile(_ name: String, contents: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hpo-show-\(UUID().uuidString)-\(name)").path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aMissingJournalIsADataErrorNamingThePath() throws {
        let (status, stdout, stderr) = try HPOProcess.run(["show", "/nonexistent/study.db"])
        #expect(status == 65)
        #expect(stdout.isEmpty)
        #expect(stderr.contains("/nonexistent/study.db") && stderr.contains("no such file"), "stderr: \(stderr)")
        #expect(stderr.hasPrefix("error[journal_cannot_open]: journal /nonexistent/study.db: "), "stderr: \(stderr)")
    }

    @Test func aFileThatIsNotAJournalIsADataError() throws {
        let path = try Self.temporaryFile("junk.db", contents: "not a database\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, _, stderr) = try HPOProcess.run(["show", path, "--format", "csv"])
        #expect(status == 65)
        #expect(stderr.contains("not an SQLite database"), "stderr: \(stderr)")
        #expect(stderr.hasPrefix("error[journal_corrupt]: "), "stderr: \(stderr)")
    }

    /// `hpo show study.yaml` only needs the journal's path: an objective this build cannot run does not stop it.
    @Test func aStudyFileLeadsToItsJournalEvenWithAnUncheckableObjective() throws {
        let path = try Self.temporaryFile("study.yaml", contents: """
            name: qa-show-\(UUID().uuidString.prefix(8))
            space: {x: {type: float, low: 0, high: 1}}
            objective: {kind: quantum}
            budget: {trials: 1}
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, _, stderr) = try HPOProcess.run(["show", path])
        #expect(status == 65)
        #expect(stderr.contains("no such file") && stderr.contains(".db"), "stderr: \(stderr)")
        #expect(!stderr.contains("quantum"), "stderr: \(stderr)")
    }

    @Test func aHugeWorkerTimeoutIsAUsageErrorNotACrash() throws {
        let (status, _, stderr) = try HPOProcess.run(["worker", "--connect", "tcp://127.0.0.1:1", "--coordinator-timeout", "1e30"])
        #expect(status == 64)
        #expect(stderr.contains("--coordinator-timeout"), "stderr: \(stderr)")
    }

    @Test func aMalformedEndpointIsAUsageError() throws {
        let (status, _, stderr) = try HPOProcess.run(["worker", "--connect", "tcp://127.0.0.1:", "--coordinator-timeout", "2s", "--heartbeat", "500ms"])
        #expect(status == 64)
        #expect(stderr.contains("--connect") && stderr.contains("port"), "stderr: \(stderr)")
    }

    @Test func aBadObjectiveOptionIsAStudyFileError() throws {
        let path = try Self.temporaryFile("study.yaml", contents: """
            name: qa-objective
            space: {x: {type: float, low: 0, high: 1}}
            objective:
              kind: test-function
              function: braninn
            budget: {trials: 1}
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, _, stderr) = try HPOProcess.run(["run", path, "--workers", "1"])
        #expect(status == 65)
        #expect(stderr.contains("\(path):4: objective:") && stderr.contains("braninn"), "stderr: \(stderr)")
    }
}
