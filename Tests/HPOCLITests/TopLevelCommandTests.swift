import Foundation
import Testing

/// `hpo` without a subcommand, and `hpo --version`.
@Suite struct TopLevelCommandTests {
    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        if directory.path.hasSuffix(".xctest") { directory = directory.deletingLastPathComponent() }
        let process = Process()
        process.executableURL = directory.appendingPathComponent("hpo")
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    @Test func hpoAlonePrintsTheUsageAndExits64() throws {
        let (status, _, stderr) = try Self.run([])
        #expect(status == 64)
        #expect(stderr.contains("SUBCOMMANDS:") && stderr.contains("report") && stderr.contains("export"), "stderr: \(stderr)")
    }

    @Test func versionIsPrinted() throws {
        let (status, stdout, _) = try Self.run(["--version"])
        #expect(status == 0)
        #expect(stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count >= 3, "stdout: \(stdout)")
    }
}
