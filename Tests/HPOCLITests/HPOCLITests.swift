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

    /// (a broken study file, the key its error must name)
    static let broken: [(String, String)] = [
        (valid.replacingOccurrences(of: "trials: 3", with: "trials: ten"), "budget.trials"),
        (valid + "\noptimzer:\n  kind: random", "optimzer"),
        (valid.replacingOccurrences(of: "low: -5, high: 10", with: "low: 10, high: -5"), "x0"),
        (valid.replacingOccurrences(of: "kind: null", with: "kind: quantum"), "objective"),
    ]

    @Test(arguments: 0..<broken.count)
    func aBadStudyFileNamesTheKeyAndExitsNonZero(index: Int) throws {
        let (yaml, key) = Self.broken[index]
        let path = try Self.study(yaml)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, _, stderr) = try HPOProcess.run(["run", path, "--workers", "1"])
        #expect(status != 0)
        #expect(stderr.contains(key), "stderr: \(stderr)")
    }

    @Test func aMissingStudyFileIsNamed() throws {
        let (status, _, stderr) = try HPOProcess.run(["run", "/nonexistent/study.yaml"])
        #expect(status == 65)
        #expect(stderr.contains("/nonexistent/study.yaml"))
    }

    @Test func usageErrorsExit64() throws {
        let path = try Self.study(Self.valid)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, _, stderr) = try HPOProcess.run(["run", path, "--workers", "0"])
        #expect(status == 64)
        #expect(stderr.contains("--workers"))
    }
}
