import Foundation
import HPOTestSupport
import Testing

/// A study whose optimizer runs out of untried points with budget left is not "completed": `hpo run` reports it
/// `exhausted`, says why, and exits 3. Real processes and files.
@Suite(.serialized, .scratchDirectory("e2e")) struct EndToEndExhaustedStudyTests {
    @Test func aSpaceWithFewerPointsThanTheBudgetEndsExhaustedWithExitStatus3() throws {
        let directory = try ScratchDirectory.current()
        let yaml = """
            name: tiny
            direction: minimize
            metric: value
            space:
              act: {type: categorical, choices: [relu, tanh, gelu]}
            objective: {kind: "null"}
            optimizer: {kind: random, seed: 1}
            budget: {trials: 10}
            heartbeat: {interval: 200ms, liveness: 3}
            """
        let study = directory.appendingPathComponent("tiny.yaml").path
        try yaml.write(toFile: study, atomically: true, encoding: .utf8)
        let run = try HPOProcess(["run", study, "--workers", "1", "--json"])
        #expect(run.wait(timeout: 120) == 3, "stderr: \(run.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        #expect(object["state"] as? String == "exhausted")
        #expect(object["completed"] as? Int == 3)
        let reason = try #require(object["reason"] as? String)
        #expect(reason.contains("the optimizer proposed nothing new after 3 trials (3 completed of the budget of 10)"))
        #expect(reason.contains("it holds 3 distinct points"))
    }
}
