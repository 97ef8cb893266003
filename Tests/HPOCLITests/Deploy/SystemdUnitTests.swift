import Foundation
import HPOTestSupport
import Testing

/// `deploy/systemd/hpo-worker@.service` with its `worker.env`: the expanded command line parses with the built
/// binary's definitions, `Restart=` matches the worker's exit statuses, and systemd itself accepts the unit.
@Suite struct SystemdUnitTests {
    static func unit() throws -> (unit: SystemdUnit, text: String, environment: [String: String]) {
        let text = try String(contentsOf: SystemdUnit.directory.appendingPathComponent("hpo-worker@.service"), encoding: .utf8)
        let environment = SystemdUnit.environment(
            try String(contentsOf: SystemdUnit.directory.appendingPathComponent("worker.env"), encoding: .utf8))
        return (try SystemdUnit(text), text, environment)
    }

    @Test func theWorkerCommandLineParsesWithTheBinarysDefinitions() throws {
        let (unit, _, environment) = try Self.unit()
        let command = try #require(unit.value("Service", "ExecStart"))
        let words = SystemdUnit.expand(command, environment: environment, instance: "3")
        #expect(words.first == "/usr/local/bin/hpo", "the tarball installs to /usr/local: \(words)")
        let definitions = ["worker": try HPOCommandDefinition.load("worker")]
        let invocation = try HPOInvocation(Array(words.dropFirst()), definitions: definitions)
        #expect(invocation.subcommand == "worker")
        #expect(invocation.option("--connect").flatMap(TCPEndpoint.init) != nil, "\(words)")
        #expect(invocation.option("--keys") != nil && invocation.option("--study") != nil, "\(words)")
        #expect(invocation.option("--name") == "node-3", "instances need distinct names: \(words)")
        #expect(unit.sections["Service"]?["EnvironmentFile"]?.contains("/etc/hpo/worker.env") == true)
    }

    @Test func restartFollowsTheWorkersExitStatuses() throws {
        let (unit, _, _) = try Self.unit()
        let documented = try HPOCommandDefinition.load("worker").exitStatuses
        #expect(Set(documented.keys) == ExitContract.workerRestart.union(ExitContract.workerPermanent), "hpo worker documents \(documented)")
        // Status 0 is also what a worker returns when its coordinator stops, so the unit restarts on success too.
        #expect(unit.value("Service", "Restart") == "always")
        let prevented = Set((unit.value("Service", "RestartPreventExitStatus") ?? "").split(separator: " ").compactMap { Int32($0) })
        #expect(prevented == ExitContract.workerPermanent, "RestartPreventExitStatus \(prevented.sorted())")
        #expect(unit.value("Unit", "StartLimitIntervalSec") == "0", "a worker waiting out a long coordinator restart must not hit the start limit")
        // The worker waits up to 10 s for its trial after SIGTERM; systemd must give it longer before SIGKILL.
        let stop = try #require(unit.value("Service", "TimeoutStopSec").flatMap { Int($0.dropLast()) })
        #expect(stop > 10)
        #expect(unit.value("Service", "KillMode") == "mixed", "SIGTERM to hpo alone; it stops its trial's process group")
    }

    @Test func systemdAcceptsTheUnit() throws {
        let analyze = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
        guard FileManager.default.isExecutableFile(atPath: analyze.path) else {
            Issue.record("systemd-analyze is missing: scripts/install-deps --tests installs systemd")
            return
        }
        let (_, text, _) = try Self.unit()
        let scratch = try ScratchDirectory.make("systemd-unit")
        defer { try? FileManager.default.removeItem(at: scratch) }
        // The unit as installed, but with the built binary where the tarball puts hpo.
        let unit = scratch.appendingPathComponent("hpo-worker@.service")
        try text.replacingOccurrences(of: "/usr/local/bin/hpo", with: try HPOBinary.url().path)
            .write(to: unit, atomically: true, encoding: .utf8)
        let (status, stdout, stderr) = try HPOProcess.run(analyze, ["verify", "--man=no", unit.path], timeout: 60)
        #expect(status == 0 && stderr.isEmpty, "systemd-analyze verify: \(stdout)\(stderr)")
    }
}
