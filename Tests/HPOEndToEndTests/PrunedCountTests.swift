import Foundation
import HPOTestSupport
import Testing

/// Pruned trials in the outputs of a running study (#9): `hpo status` (text and `hpo.status` JSON) and the live view's
/// status line count them, with real `hpo run`, worker and `hpo status` processes.
@Suite(.serialized, .scratchDirectory("e2e")) struct PrunedCountTests {
    /// A three-trial command study on one worker, bound to `port`: trial 0 reports 0.9 and 0.95 and completes;
    /// trial 1 reports 0.1 at step 1 and is pruned there (ASHA, η = 2); trial 2 runs until the file `release` appears
    /// in `directory`, then completes.
    static func study(in directory: URL, port: Int) throws -> String {
        let script = directory.appendingPathComponent("train.sh").path
        try """
            case "$HPO_TRIAL_ID" in
              0) echo '{"hpo": {"step": 1, "accuracy": 0.9}}'
                 echo '{"hpo": {"step": 2, "accuracy": 0.95}}'
                 echo '{"hpo": {"accuracy": 0.95}}' ;;
              1) echo '{"hpo": {"step": 1, "accuracy": 0.1}}'
                 while [ ! -e "$HPO_PRUNE_FILE" ]; do sleep 0.05; done ;;   # the trial's own wait for its PRUNE
              *) while [ ! -e "$OUT/release" ]; do sleep 0.05; done       # held until the test has looked
                 echo '{"hpo": {"accuracy": 0.5}}' ;;
            esac
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let study = directory.appendingPathComponent("counted.yaml").path
        try """
            name: counted
            space: {x: {type: float, low: 0, high: 1}}
            objective: {kind: command, argv: [bash, \(script)], env: {OUT: \(directory.path)}, cooperative_stop: true}
            optimizer: {kind: random, seed: 1}
            budget: {trials: 3}
            pruner: {kind: asha, reduction_factor: 2, min_resource: 1, max_resource: 2}
            heartbeat: {interval: 200ms, liveness: 10}
            transport: {bind: "tcp://127.0.0.1:\(port)"}
            """.write(toFile: study, atomically: true, encoding: .utf8)
        return study
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "no /usr/bin/script (util-linux) for a pseudo-terminal"))
    func statusAndTheLiveViewCountPrunedTrials() throws {
        let directory = try ScratchDirectory.current()
        let port = FreePort.loopback()
        let study = try Self.study(in: directory, port: port)
        let release = directory.appendingPathComponent("release")
        // On a pseudo-terminal, so the live view is drawn.
        let command = [try EndToEnd.hpoExecutable().path, "run", study, "--workers", "1"].map { "'\($0)'" }.joined(separator: " ")
        let run = try HPOProcess(
            executable: URL(fileURLWithPath: "/usr/bin/script"), arguments: ["-q", "-e", "-c", command, "/dev/null"],
            environment: ["COLUMNS": "120", "LINES": "40"])
        defer {
            #expect(FileManager.default.createFile(atPath: release.path, contents: nil))
            run.wait(timeout: 30)
        }
        let hpo = try EndToEnd.hpoExecutable()
        let endpoint = "tcp://127.0.0.1:\(port)"
        var document: [String: Any] = [:]
        let counted = waitUntil(seconds: 90, poll: .milliseconds(200)) {
            guard let asked = try? HPOProcess.run(hpo, ["status", "--connect", endpoint, "--json", "--timeout", "2s"], timeout: 30),
                asked.status == 0
            else { return false }
            document = (try? JSONSerialization.jsonObject(with: Data(asked.stdout.utf8))) as? [String: Any] ?? [:]
            return document["pruned"] as? Int == 1 && document["running"] as? Int == 1
        }
        try #require(counted, "status never showed trial 1 pruned and trial 2 running: \(document); view: \(run.standardOutput)")
        #expect(document["completed"] as? Int == 1 && document["failed"] as? Int == 0, "\(document)")
        #expect(Set(document.keys) == (try JSONSchemaPage.keys("hpo.status")))

        let text = try HPOProcess.run(hpo, ["status", "--connect", endpoint, "--timeout", "5s"], timeout: 30)
        #expect(text.status == 0, "stderr: \(text.stderr)")
        #expect(text.stdout.contains("trials: 2/3 done (1 pruned), 1 running, 0 failed"), "\(text.stdout)")

        // The view's first line, redrawn every second, says the same.
        #expect(
            run.waitForStandardOutput(timeout: 10) { $0.contains("counted: 2/3 done (1 pruned), 1 running, 0 failed") },
            "view: \(run.standardOutput)")
        #expect(FileManager.default.createFile(atPath: release.path, contents: nil))
        #expect(run.wait(timeout: 60) == 0, "output: \(run.standardOutput)")
        #expect(run.standardOutput.contains("pruned: 1 trial, "), "the summary counts it too: \(run.standardOutput)")
    }
}
