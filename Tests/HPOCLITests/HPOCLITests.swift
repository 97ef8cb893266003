import Foundation
import HPOTestSupport
import Testing

/// The `hpo` binary's command-line behaviour: exit codes and messages a user acts on.
@Suite struct StudyFileErrorTests {
    private static func study(_ yaml: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hpo-cli-\(UUID().uuidString).yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let valid = """
        name: cli
        direction: minimize
        space:
          x0: {type: float, low: -5, high: 10}
        objective:
          kind: null
        budget:
          trials: 3
        """

    /// (a broken study file, the key its error must name, the error's code: docs/study-file.md, *Error codes*)
    static let broken: [(String, String, String)] = [
        (valid.replacingOccurrences(of: "trials: 3", with: "trials: ten"), "budget.trials", "invalid_value"),
        (valid + "\noptimzer:\n  kind: random", "optimzer", "unknown_key"),
        (valid.replacingOccurrences(of: "low: -5, high: 10", with: "low: 10, high: -5"), "x0", "invalid_space"),
        (valid.replacingOccurrences(of: "kind: null", with: "kind: quantum"), "objective", "objective_unknown_kind"),
    ]

    @Test(arguments: 0..<broken.count)
    func aBadStudyFileNamesTheKeyAndItsCodeAndExits65(index: Int) throws {
        let (yaml, key, code) = Self.broken[index]
        let path = try Self.study(yaml)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, _, stderr) = try HPOProcess.run(["run", path, "--workers", "1"])
        #expect(status == 65)
        #expect(stderr.contains(key), "stderr: \(stderr)")
        #expect(stderr.hasPrefix("error[\(code)]: \(path)"), "stderr: \(stderr)")
    }

    @Test func aMissingStudyFileIsNamed() throws {
        let (status, _, stderr) = try HPOProcess.run(["run", "/nonexistent/study.yaml"])
        #expect(status == 65)
        #expect(stderr.hasPrefix("error[file_unreadable]: /nonexistent/study.yaml: "), "stderr: \(stderr)")
    }

    @Test func usageErrorsExit64() throws {
        let path = try Self.study(Self.valid)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, _, stderr) = try HPOProcess.run(["run", path, "--workers", "0"])
        #expect(status == 64)
        #expect(stderr.contains("--workers"))
    }
}
