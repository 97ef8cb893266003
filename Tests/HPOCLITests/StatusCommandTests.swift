import Foundation
import HPOTestSupport
import Testing

/// `hpo status`: durations with units, and the study file as the way to name the coordinator (#10 §6).
@Suite struct StatusCommandTests {
    static func study(bind: String) throws -> String {
        let path = NSTemporaryDirectory() + "hpo-status-\(UUID().uuidString).yaml"
        try """
            name: s
            space: {x: {type: float, low: 0, high: 1}}
            objective: {kind: null}
            budget: {trials: 1}
            transport: {bind: "\(bind)"}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aTimeoutTakesUnitsLikeEveryOtherDuration() throws {
        let result = try HPOProcess.run(try HPOBinary.url(), ["status", "--connect", "tcp://127.0.0.1:9", "--timeout", "300ms"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("within 0.3 seconds"), "\(result.stderr)")
        let bad = try HPOProcess.run(try HPOBinary.url(), ["status", "--connect", "tcp://127.0.0.1:9", "--timeout", "soon"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--timeout"), "\(bad.stderr)")
    }

    @Test func theStudyFileNamesTheEndpoint() throws {
        let fixed = try Self.study(bind: "tcp://*:9")
        defer { try? FileManager.default.removeItem(atPath: fixed) }
        let asked = try HPOProcess.run(try HPOBinary.url(), ["status", fixed, "--timeout", "300ms"])
        #expect(asked.status == 1)
        #expect(asked.stderr.contains("no answer from a coordinator at tcp://127.0.0.1:9"), "\(asked.stderr)")
        let ephemeral = try Self.study(bind: "tcp://127.0.0.1:*")
        defer { try? FileManager.default.removeItem(atPath: ephemeral) }
        let unknown = try HPOProcess.run(try HPOBinary.url(), ["status", ephemeral])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("a port the system picks at start"), "\(unknown.stderr)")
    }
}
