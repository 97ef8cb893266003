import Foundation
import Glibc
import HPOSearchSpace
import HPOWire
import HPOZeroMQ
import Testing
#if canImport(HPOTestSupport)
import HPOTestSupport   // HPOProcess moved there on main; this keeps the file compiling before and after the merge.
#endif

/// #7 §1/§2 against real `hpo` processes: only keyed workers get trials, an allow-list reloads on SIGHUP, a wide
/// bind needs keys, and a default worker obeys neither a rogue coordinator's `command` nor another study.
@Suite(.serialized, .scratchDirectory("e2e")) struct ClusterSecurityTests {
    /// `hpo keygen DIR` (and more worker keys); returns DIR.
    static func keygen(_ directory: URL, _ name: String, workers: [String] = []) throws -> String {
        let path = directory.appendingPathComponent(name).path
        let keygen = try HPOProcess(["keygen", path])
        #expect(keygen.wait(timeout: 30) == 0, "keygen: \(keygen.standardError)")
        for worker in workers {
            let more = try HPOProcess(["keygen", "--worker", worker, path])
            #expect(more.wait(timeout: 30) == 0, "keygen --worker: \(more.standardError)")
        }
        return path
    }

    /// A coordinator with `--keys DIR/keys` (made by `keygen`) on an ephemeral loopback port writing its endpoint to
    /// `directory/endpoint`; returns the process, that file and the key directory.
    static func securedCoordinator(
        _ directory: URL, trials: Int
    ) throws -> (process: HPOProcess, endpointFile: String, keys: String) {
        let keys = try keygen(directory, "keys")
        let study = try BraninStudy.write(in: directory, trials: trials, duration: 0.02)
        let endpointFile = directory.appendingPathComponent("endpoint").path
        let coordinator = try HPOProcess([
            "coordinator", study, "--bind", "tcp://127.0.0.1:0", "--keys", keys, "--endpoint-file", endpointFile,
            "--json",
        ])
        #expect(coordinator.waitForStandardError(timeout: 30) { $0.contains("listening on") }, "\(coordinator.standardError)")
        return (coordinator, endpointFile, keys)
    }

    /// True when the worker's log shows it never completed a handshake nor ran anything.
    static func gotNothing(_ worker: HPOProcess) -> Bool {
        let log = worker.standardError
        return !log.contains("connected to the coordinator") && !log.contains("running trial")
    }

    @Test func onlyKeyedWorkersOnTheAllowListGetTrials() throws {
        let directory = try ScratchDirectory.current()
        let (coordinator, endpointFile, keys) = try Self.securedCoordinator(directory, trials: 4)
        let other = try Self.keygen(directory, "other")
        defer { coordinator.signal(SIGKILL) }

        let common = ["worker", "--connect-file", endpointFile, "--coordinator-timeout", "3s", "--log-level", "debug"]
        let intruders = [
            // Verifies the coordinator against another directory's key: the handshake fails on the worker's side.
            try HPOProcess(common + ["--name", "wrong-server-key", "--keys", other]),
            // Plain ZeroMQ, no CURVE at all.
            try HPOProcess(common + ["--name", "plain"]),
            // A valid CURVE key pair that is not on the allow-list: refused by the coordinator's ZAP handler.
            try HPOProcess(common + ["--name", "not-allowed", "--keys", keys, "--key", other + "/worker.key"]),
        ]
        for intruder in intruders {
            #expect(intruder.wait(timeout: 30) == 2, "\(intruder.standardError)")
            #expect(Self.gotNothing(intruder), "\(intruder.standardError)")
        }
        let status = try HPOProcess(["status", "--connect-file", endpointFile, "--keys", keys, "--json"])
        #expect(status.wait(timeout: 30) == 0, "\(status.standardError)")
        let snapshot = try JSONSerialization.jsonObject(with: Data(status.standardOutput.utf8)) as? [String: Any]
        #expect(snapshot?["completed"] as? Int == 0)
        #expect(snapshot?["live_workers"] as? Int == 0)

        let honest = try HPOProcess(["worker", "--connect-file", endpointFile, "--keys", keys, "--study", "e2e"])
        #expect(coordinator.wait(timeout: 60) == 0, "\(coordinator.standardError)")
        #expect(try EndToEnd.report(coordinator.standardOutput).completed == 4)
        #expect(honest.wait(timeout: 30) == 0, "\(honest.standardError)")
        #expect(!FileManager.default.fileExists(atPath: endpointFile), "the endpoint file is removed at exit")
    }

    @Test func sighupAdmitsANewlyAddedKey() throws {
        let directory = try ScratchDirectory.current()
        let (coordinator, endpointFile, keys) = try Self.securedCoordinator(directory, trials: 3)
        defer { coordinator.signal(SIGKILL) }
        #expect(coordinator.waitForStandardError(timeout: 10) { $0.contains("1 client key(s) allowed") })

        let added = try HPOProcess(["keygen", "--worker", "late", keys])
        #expect(added.wait(timeout: 30) == 0, "\(added.standardError)")
        let worker = try HPOProcess([
            "worker", "--connect-file", endpointFile, "--keys", keys, "--key", keys + "/late.key",
            "--coordinator-timeout", "60s",
        ])
        defer { worker.signal(SIGKILL) }
        // Not admitted until the list is re-read.
        #expect(coordinator.waitForStandardError(timeout: 30) { $0.contains("refused a CURVE client") }, "\(coordinator.standardError)")
        coordinator.signal(SIGHUP)
        #expect(coordinator.waitForStandardError(timeout: 10) { $0.contains("allow-list reloaded, 2 client key(s) allowed") })
        #expect(coordinator.wait(timeout: 60) == 0, "\(coordinator.standardError)")
        #expect(try EndToEnd.report(coordinator.standardOutput).completed == 3)
        #expect(worker.wait(timeout: 30) == 0, "\(worker.standardError)")
    }

    @Test func aWideBindNeedsKeysOrInsecure() throws {
        let directory = try ScratchDirectory.current()
        let study = try BraninStudy.write(in: directory, trials: 2, duration: 0)
        let refused = try HPOProcess(["coordinator", study, "--bind", "tcp://0.0.0.0:0"])
        #expect(refused.wait(timeout: 30) == 64)
        #expect(refused.standardError.contains("without CURVE"), "\(refused.standardError)")
        #expect(refused.standardError.contains("hpo keygen"), "\(refused.standardError)")

        let run = try HPOProcess(["run", study, "--workers", "1"], environment: [:])
        #expect(run.wait(timeout: 60) == 0, "hpo run on loopback needs no keys: \(run.standardError)")

        let wide = try BraninStudy.write(
            in: directory, name: "wide", trials: 2, duration: 0, extra: "transport: {bind: \"tcp://*:0\"}")
        let refusedRun = try HPOProcess(["run", wide, "--workers", "1"])
        #expect(refusedRun.wait(timeout: 30) == 64)
        #expect(refusedRun.standardError.contains("--insecure"), "\(refusedRun.standardError)")
    }

    @Test func insecureWarnsAndCurvePrintsQuotedKeys() throws {
        let directory = try ScratchDirectory.current()
        let study = try BraninStudy.write(in: directory, trials: 2, duration: 0)
        let insecure = try HPOProcess(["coordinator", study, "--bind", "tcp://0.0.0.0:0", "--insecure", "--overwrite"])
        #expect(insecure.waitForStandardError(timeout: 30) { $0.contains("listening on") }, "\(insecure.standardError)")
        #expect(insecure.standardError.contains("--insecure: binding tcp://0.0.0.0:0 without CURVE"))
        insecure.signal(SIGINT)
        #expect(insecure.wait(timeout: 30) == 130)

        let curve = try HPOProcess(["coordinator", study, "--curve", "--overwrite"])
        #expect(curve.waitForStandardError(timeout: 30) { $0.contains("start workers with") }, "\(curve.standardError)")
        let key = try #require(curve.standardError.split(separator: "\n").first { $0.hasPrefix("CURVE public key: ") })
            .dropFirst("CURVE public key: ".count)
        #expect(curve.standardError.contains("--curve-server-key '\(key)'"), "\(curve.standardError)")
        curve.signal(SIGINT)
        #expect(curve.wait(timeout: 30) == 130)
    }

    /// A worker pinned to another study, pointed at a real coordinator, leaves with status 4 and runs nothing (the
    /// coordinator answers its READY with ERROR `wrong_study`, and its HEARTBEAT and TRIAL carry its study).
    @Test func aWorkerPinnedToAnotherStudyLeavesARealCoordinator() throws {
        let directory = try ScratchDirectory.current()
        let (coordinator, endpointFile, keys) = try Self.securedCoordinator(directory, trials: 3)
        defer { coordinator.signal(SIGKILL) }
        let worker = try HPOProcess([
            "worker", "--connect-file", endpointFile, "--keys", keys, "--study", "another-study", "--log-level", "debug",
        ])
        defer { worker.signal(SIGKILL) }
        let status = worker.wait(timeout: 60)
        #expect(status == 4, "\(worker.standardError)")
        #expect(!worker.standardError.contains("running trial"), "\(worker.standardError)")
    }
}
