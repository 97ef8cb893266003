import Foundation
import Glibc
import HPOTestSupport
import HPOWire
import HPOZeroMQ
import Testing

/// `hpo coordinator` with separately started `hpo worker`s: start-up order, refusals, status, re-adoption.
@Suite(.serialized, .scratchDirectory("e2e")) struct EndToEndCoordinatorTests {
    /// A loopback TCP port that was free a moment ago.
    private func freePort() -> Int {
        FreePort.loopback()
    }

    private func worker(_ endpoint: String, name: String) throws -> HPOProcess {
        try HPOProcess([
            "worker", "--connect", endpoint, "--name", name, "--heartbeat", "200ms", "--coordinator-timeout", "20s",
        ])
    }

    @Test func aWorkerStartedBeforeItsCoordinatorConnectsWhenItComesUp() throws {
        let directory = try ScratchDirectory.current()
        let endpoint = "tcp://127.0.0.1:\(freePort())"
        let early = try worker(endpoint, name: "early")
        defer { early.wait(timeout: 1) }
        // Up and trying to connect before anything listens there.
        #expect(early.waitForStandardError(timeout: 20) { $0.contains("worker started; connecting to \(endpoint)") })
        #expect(early.process.isRunning)
        let study = try BraninStudy.write(in: directory, trials: 5, duration: 0.01)
        let coordinator = try HPOProcess(["coordinator", study, "--bind", endpoint, "--json"])
        #expect(coordinator.wait(timeout: 30) == 0, "stderr: \(coordinator.standardError)")
        let report = try EndToEnd.report(coordinator.standardOutput)
        #expect(report.completed == 5)
        // The same hpo.session document as hpo run --json (docs/json.md).
        let document = try JSONSchemaPage.object(coordinator.standardOutput)
        #expect(Set(document.keys) == (try JSONSchemaPage.keys("hpo.session")))
        let trials = try #require(document["trials"] as? [[String: Any]])
        #expect(try trials.allSatisfy { Set($0.keys) == (try JSONSchemaPage.keys("trial")) })
        #expect(early.wait(timeout: 10) == 0, "the worker exits 0 after SHUTDOWN: \(early.standardError)")
    }

    @Test func resultsForUnknownTrialsOrFromNonHoldersAreRefusedAndLogged() throws {
        let directory = try ScratchDirectory.current()
        let study = try BraninStudy.write(in: directory, trials: 3, duration: 0.6)
        let coordinator = try HPOProcess(["coordinator", study, "--json"])
        defer { coordinator.wait(timeout: 1) }
        let endpoint = try coordinator.listeningEndpoint()
        let honest = try worker(endpoint, name: "honest")
        defer { honest.wait(timeout: 1) }
        #expect(coordinator.waitForStandardError(timeout: 20) { $0.contains("joined (") })

        let context = try Context()
        defer { context.shutdown() }
        let intruder = try Socket(context, type: .dealer, linger: .zero)
        defer { intruder.close() }
        try intruder.set(.routingID(Array("intruder".utf8)))
        try intruder.connect(endpoint)
        func report(_ trial: Int, _ value: Double) throws -> ErrorReply? {
            try intruder.send(WireCodec.encode(.result(TrialResult(
                trialID: trial, attempt: 1, outcome: .completed(value: value, metrics: [:]), duration: .seconds(1)))))
            guard let frames = try intruder.receive(timeout: .seconds(5)) else { return nil }
            if case .error(let reply) = try WireCodec.decode(frames) { return reply }
            return nil
        }
        let unknown = try #require(try report(999, 1))
        #expect(unknown.code == .unknownTrial)
        #expect(unknown.message.contains("no trial 999"))
        // Trial 0 runs on the honest worker (0.6 s): the intruder's value for it is refused too.
        let stolen = try #require(try report(0, -12345))
        #expect(stolen.message.contains("held by worker honest"))

        #expect(coordinator.wait(timeout: 30) == 0, "stderr: \(coordinator.standardError)")
        #expect(coordinator.standardError.contains("refused the report for trial 999 attempt 1 from worker intruder"))
        #expect(coordinator.standardError.contains("refused the report for trial 0 attempt 1 from worker intruder"))
        let result = try EndToEnd.report(coordinator.standardOutput)
        #expect(result.completed == 3)
        #expect(!result.trials.contains { $0.value == -12345 })
    }

    @Test func statusShowsARunningStudy() throws {
        let directory = try ScratchDirectory.current()
        let study = try BraninStudy.write(in: directory, trials: 4, duration: 0.5)
        let coordinator = try HPOProcess(["coordinator", study])
        defer { coordinator.wait(timeout: 1) }
        let endpoint = try coordinator.listeningEndpoint()
        let one = try worker(endpoint, name: "one")
        defer { one.wait(timeout: 1) }
        #expect(coordinator.waitForStandardError(timeout: 20) { $0.contains("joined (") })
        let status = try HPOProcess(["status", "--connect", endpoint])
        #expect(status.wait(timeout: 10) == 0, "stderr: \(status.standardError)")
        #expect(status.standardOutput.contains("study e2e (minimize)"))
        #expect(status.standardOutput.contains("/4 done"))
        #expect(status.standardOutput.contains("workers: 1 live"))
        // The worker is shown by its --name (docs/worker.md), with its host and pid.
        #expect(status.standardOutput.contains("  one ("), "got: \(status.standardOutput)")
        #expect(status.standardOutput.contains(" pid \(one.pid))"), "got: \(status.standardOutput)")
        // Its slots in use of those it announced (docs/worker.md, *Slots and GPUs*).
        #expect(status.standardOutput.contains("/1 slots]: "), "got: \(status.standardOutput)")
        // And the BLAS kernels it runs on, as it announced them in READY (docs/blas-kernels.md).
        #expect(status.standardOutput.contains(", BLAS kernels "), "got: \(status.standardOutput)")
        let json = try HPOProcess(["status", "--connect", endpoint, "--json"])
        #expect(json.wait(timeout: 10) == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
        #expect(object?["trial_budget"] as? Int == 4)
        // The field list of docs/json.md, for the document and each worker.
        #expect(Set(object?.keys.map { $0 } ?? []) == (try JSONSchemaPage.keys("hpo.status")))
        // snake_case like `hpo show --format json` and the wire protocol, with the workers list the text shows.
        #expect(object?["live_workers"] as? Int == 1)
        #expect(object?["liveWorkers"] == nil)
        #expect(object?["elapsed_seconds"] is Double)
        let workers = try #require(object?["workers"] as? [[String: Any]], "got: \(json.standardOutput)")
        #expect(workers.count == 1)
        #expect(Set(workers.first?.keys.map { $0 } ?? []) == (try JSONSchemaPage.keys("status worker")))
        #expect(workers.first?["name"] as? String == "one")
        #expect(workers.first?["pid"] as? Int == Int(one.pid))
        #expect(workers.first?["last_seen_seconds"] is Double)
        #expect(workers.first?["running"] is [Any])
        #expect(workers.first?["slots"] as? Int == 1)
        #expect((workers.first?["blas_kernels"] as? String)?.isEmpty == false, "got: \(json.standardOutput)")
        #expect(coordinator.wait(timeout: 30) == 0)

        let nobody = try HPOProcess(["status", "--connect", "tcp://127.0.0.1:\(freePort())", "--timeout", "0.5"])
        #expect(nobody.wait(timeout: 10) == 1)
        #expect(nobody.standardError.contains("no answer from a coordinator"))
    }

    @Test func aRestartedCoordinatorReadoptsTheTrialItsWorkerKeptRunning() throws {
        let directory = try ScratchDirectory.current()
        let study = try BraninStudy.write(in: directory, trials: 3, duration: 1.5, heartbeat: "300ms")
        let endpoint = "tcp://127.0.0.1:\(freePort())"
        let first = try HPOProcess(["coordinator", study, "--bind", endpoint])
        let steady = try worker(endpoint, name: "steady")
        defer { steady.wait(timeout: 1) }
        #expect(first.waitForStandardError(timeout: 20) { $0.contains("joined (") })
        // Trial 0 is running on "steady": its first PROGRESS reached the journal.
        let journal = directory.appendingPathComponent("e2e.db").path
        #expect(waitUntil(seconds: 20) { JournalRows.readIfPresent(journal).contains { $0.type == "trialProgress" && $0.trial == 0 } })
        first.signal(SIGKILL)
        first.wait(timeout: 5)

        let second = try HPOProcess(["coordinator", study, "--bind", endpoint, "--resume", "--json"])
        #expect(second.wait(timeout: 40) == 0, "stderr: \(second.standardError)")
        #expect(second.standardError.contains("still runs trial 0 attempt 1: lease restored"))
        let report = try EndToEnd.report(second.standardOutput)
        #expect(report.completed == 3)
        #expect(report.trials.first { $0.id == 0 }?.attempts == 1)
        #expect(steady.wait(timeout: 10) == 0)
    }

    @Test func aCurveCoordinatorAdmitsOnlyAllowedWorkers() throws {
        let directory = try ScratchDirectory.current()
        let server = try ZMQ.curveKeypair()
        let trusted = try ZMQ.curveKeypair()
        let stranger = try ZMQ.curveKeypair()
        let monitor = try ZMQ.curveKeypair()
        let study = try BraninStudy.write(in: directory, trials: 3, duration: 0.3)
        let coordinator = try HPOProcess(
            ["coordinator", study, "--curve", "--curve-allow", trusted.publicKey, "--curve-allow", monitor.publicKey, "--json"],
            environment: ["HPO_COORDINATOR_SECRET_KEY": server.secretKey])
        defer { coordinator.wait(timeout: 1) }
        let endpoint = try coordinator.listeningEndpoint()
        // Printed right after "listening on": wait for it rather than read standard error once.
        #expect(coordinator.waitForStandardError(timeout: 10) { $0.contains("CURVE public key: \(server.publicKey)") })
        func curveWorker(_ keys: CurveKeyPair, name: String, timeout: String) throws -> HPOProcess {
            try HPOProcess(
                ["worker", "--connect", endpoint, "--name", name, "--heartbeat", "200ms", "--coordinator-timeout", timeout,
                 "--curve-server-key", server.publicKey],
                environment: ["HPO_WORKER_SECRET_KEY": keys.secretKey])
        }
        let intruder = try curveWorker(stranger, name: "stranger", timeout: "3s")
        defer { intruder.wait(timeout: 1) }
        #expect(coordinator.waitForStandardError(timeout: 10) { $0.contains("refused a CURVE client with key \(stranger.publicKey)") })
        let status = try HPOProcess(
            ["status", "--connect", endpoint, "--curve-server-key", server.publicKey],
            environment: ["HPO_STATUS_SECRET_KEY": monitor.secretKey])
        #expect(status.wait(timeout: 10) == 0, "stderr: \(status.standardError)")
        #expect(status.standardOutput.contains("workers: 0 live"))

        let allowed = try curveWorker(trusted, name: "trusted", timeout: "20s")
        defer { allowed.wait(timeout: 1) }
        #expect(coordinator.wait(timeout: 30) == 0, "stderr: \(coordinator.standardError)")
        #expect(try EndToEnd.report(coordinator.standardOutput).completed == 3)
        #expect(coordinator.standardError.contains("worker trusted."))
        #expect(!coordinator.standardError.contains("worker stranger."))
        #expect(intruder.wait(timeout: 10) == 2, "the refused worker gives up after its coordinator timeout")
    }
}
