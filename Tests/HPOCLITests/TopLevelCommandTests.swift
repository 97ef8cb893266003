import Foundation
import HPOTestSupport
import Testing

/// `hpo` without a subcommand, and `hpo --version`.
@Suite struct TopLevelCommandTests {
    @Test func hpoAlonePrintsTheUsageAndExits64() throws {
        let (status, _, stderr) = try HPOProcess.run([])
        #expect(status == 64)
        #expect(stderr.contains("SUBCOMMANDS:") && stderr.contains("report") && stderr.contains("export"), "stderr: \(stderr)")
    }

    @Test func versionIsPrinted() throws {
        let (status, stdout, _) = try HPOProcess.run(["--version"])
        #expect(status == 0)
        #expect(stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count >= 3, "stdout: \(stdout)")
    }
}
