import Foundation
import Glibc
import HPOTestSupport
import Testing
import Yams

/// `deploy/kubernetes/*.yaml` against the built `hpo`: every command line parses with the binary's own argument
/// definitions, names agree across objects, and the restart policies match the exit statuses the binary returns.
@Suite struct KubernetesManifestTests {
    static let commands = ["coordinator", "worker", "status", "keygen", "run", "show", "report", "export"]

    static func definitions() throws -> [String: HPOCommandDefinition] {
        try Dictionary(uniqueKeysWithValues: commands.map { ($0, try HPOCommandDefinition.load($0)) })
    }

    /// The coordinator's and the workers' command lines, parsed.
    struct Roles {
        var coordinator: [(line: KubernetesManifests.CommandLine, invocation: HPOInvocation)] = []
        var workers: [(line: KubernetesManifests.CommandLine, invocation: HPOInvocation)] = []
        var probes: [(line: KubernetesManifests.CommandLine, invocation: HPOInvocation)] = []

        init(_ manifests: KubernetesManifests, _ definitions: [String: HPOCommandDefinition]) throws {
            for line in manifests.commandLines {
                let invocation = try HPOInvocation(line.arguments, definitions: definitions)
                switch (line.place, invocation.subcommand) {
                case ("args", "coordinator"): coordinator.append((line, invocation))
                case ("args", "worker"): workers.append((line, invocation))
                default: probes.append((line, invocation))
                }
            }
        }
    }

    @Test func everyHpoCommandLineParsesWithTheBinarysOwnDefinitions() throws {
        let manifests = try KubernetesManifests()
        let definitions = try Self.definitions()
        #expect(manifests.commandLines.count >= 4, "expected a coordinator, workers and a probe: \(manifests.commandLines.map(\.arguments))")
        for line in manifests.commandLines {
            #expect(throws: Never.self, "\(line.pod.owner.kind)/\(line.pod.owner.name) \(line.place)") {
                _ = try HPOInvocation(line.arguments, definitions: definitions)
            }
        }
        // The parser itself refuses what the binary refuses.
        #expect(throws: TestSupportError.self) { _ = try HPOInvocation(["worker", "--conect", "tcp://x:1"], definitions: definitions) }
        #expect(throws: TestSupportError.self) { _ = try HPOInvocation(["coordinator", "s.yaml", "--resume=yes"], definitions: definitions) }
        #expect(throws: TestSupportError.self) { _ = try HPOInvocation(["worker", "--keys"], definitions: definitions) }
    }

    @Test func portsSecretsVolumesAndStudyNamesAgreeAcrossObjects() throws {
        let manifests = try KubernetesManifests()
        let roles = try Roles(manifests, try Self.definitions())
        let coordinator = try #require(roles.coordinator.only, "exactly one coordinator: \(roles.coordinator.map(\.line.pod.owner.name))")
        #expect(!roles.workers.isEmpty)

        // The coordinator binds tcp://*:PORT, declares that containerPort, and a Service routes to it by port or name.
        let bind = try #require(coordinator.invocation.option("--bind"))
        let port = try #require(TCPEndpoint(bind)?.port, "--bind \(bind)")
        let ports = coordinator.line.container["ports"]?.array() ?? []
        let declared = try #require(ports.first { $0["containerPort"]?.int == port }, "containerPort \(port) in \(ports)")
        let service = try #require(manifests.objects("Service").only)
        let servicePort = try #require(service["spec", "ports"]?.array().first)
        let target = servicePort["targetPort"]
        #expect(target?.int == port || (target?.string != nil && target?.string == declared["name"]?.string), "Service targetPort \(String(describing: target))")
        var selector: [String: String] = [:]
        for (key, value) in service["spec", "selector"]?.mapping ?? [:] { selector[key.string ?? ""] = value.string }
        let selected = manifests.pods.filter { pod in selector.allSatisfy { pod.labels[$0.key] == $0.value } }
        #expect(selected.map(\.owner.name) == [coordinator.line.pod.owner.name], "the Service selects \(selected.map(\.owner.name))")

        // Workers connect to that Service and port; the readiness probe asks the coordinator's own port.
        for worker in roles.workers {
            let endpoint = try #require(worker.invocation.option("--connect").flatMap(TCPEndpoint.init), "\(worker.line.pod.owner.name) --connect")
            #expect(endpoint.host == service.name && endpoint.port == servicePort["port"]?.int, "\(worker.line.pod.owner.name) connects to \(endpoint)")
        }
        let probe = try #require(roles.probes.first { $0.line.pod.owner.name == coordinator.line.pod.owner.name && $0.line.place == "readinessProbe" })
        #expect(probe.invocation.subcommand == "status")
        #expect(probe.invocation.option("--connect").flatMap(TCPEndpoint.init)?.port == port)

        // Every --keys DIR is a Secret volume mounted at DIR, all from one Secret, holding what each side reads.
        var secretNames = Set<String>()
        for (role, entry) in roles.coordinator.map({ ("coordinator", $0) }) + roles.workers.map({ ("worker", $0) }) + roles.probes.map({ ("status", $0) }) {
            let directory = try #require(entry.invocation.option("--keys"), "\(entry.line.pod.owner.name): \(role) without --keys")
            let volume = try #require(entry.line.pod.volume(mountedAt: directory, in: entry.line.container), "nothing mounted at --keys \(directory)")
            let secret = try #require(volume["secret"], "--keys \(directory) is not a Secret volume")
            secretNames.insert(secret["secretName"]?.string ?? "")
            let paths = Set((secret["items"]?.array() ?? []).compactMap { $0["path"]?.string })
            let needed: Set<String> = switch role {
            case "coordinator": ["coordinator.key", "coordinator.pub"]
            default: ["coordinator.pub", entry.invocation.option("--key").map { URL(fileURLWithPath: $0).lastPathComponent } ?? "worker.key"]
            }
            #expect(needed.isSubset(of: paths), "\(entry.line.pod.owner.name) (\(role)) mounts \(paths.sorted()), needs \(needed.sorted())")
            if role == "coordinator" {
                #expect(paths.contains { $0.hasPrefix("allowed/") && $0.hasSuffix(".pub") }, "the coordinator admits no client key: \(paths.sorted())")
            }
        }
        #expect(secretNames.count == 1, "the keys come from one Secret: \(secretNames.sorted())")

        // Every volume mount names a volume; every ConfigMap and PVC a volume names exists.
        for pod in manifests.pods {
            for container in pod.containers {
                for mount in container["volumeMounts"]?.array() ?? [] {
                    #expect(pod.volume(mount["name"]?.string ?? "") != nil, "\(pod.owner.name) mounts an undefined volume \(mount)")
                }
            }
            for volume in pod.volumes {
                if let name = volume["configMap"]?["name"]?.string { #expect(manifests.object("ConfigMap", name) != nil, "ConfigMap \(name)") }
                if let name = volume["persistentVolumeClaim"]?["claimName"]?.string {
                    #expect(manifests.object("PersistentVolumeClaim", name) != nil, "PersistentVolumeClaim \(name)")
                }
            }
        }

        // The study file is a ConfigMap key; its journal lies on the claim; the workers are pinned to its name.
        let studyPath = try #require(coordinator.invocation.positionals.first)
        let (studyMount, studyVolume) = try #require(coordinator.line.pod.mount(holding: studyPath, in: coordinator.line.container), "nothing mounted holds \(studyPath)")
        let configMap = try #require(studyVolume["configMap"]?["name"]?.string.flatMap { manifests.object("ConfigMap", $0) })
        let studyText = try #require(configMap["data", String(studyPath.dropFirst(studyMount.count + 1))]?.string, "\(configMap.name) has no key for \(studyPath)")
        let study = try #require(try Yams.compose(yaml: studyText))
        let journal = try #require(study["journal"]?.string, "the study sets no journal: it would land in the read-only ConfigMap directory")
        let journalVolume = coordinator.line.pod.mount(holding: journal, in: coordinator.line.container)?.volume
        #expect(journalVolume?["persistentVolumeClaim"] != nil, "journal \(journal) is not on a PersistentVolumeClaim")
        for worker in roles.workers {
            #expect(worker.invocation.option("--study") == study["name"]?.string, "\(worker.line.pod.owner.name) --study vs the study's name")
        }
    }

    @Test func restartPoliciesMatchTheExitStatusesTheBinaryDocuments() throws {
        let definitions = try Self.definitions()
        let worker = try #require(definitions["worker"]).exitStatuses
        let coordinator = try #require(definitions["coordinator"]).exitStatuses
        #expect(Set(worker.keys) == ExitContract.workerRestart.union(ExitContract.workerPermanent), "hpo worker documents \(worker)")
        #expect(
            Set(coordinator.keys) == ExitContract.coordinatorDone.union(ExitContract.coordinatorResume).union(ExitContract.coordinatorPermanent),
            "hpo coordinator documents \(coordinator)")
        #expect(worker[0]?.contains("shutdown") == true, "worker status 0: \(worker[0] ?? "none")")

        let manifests = try KubernetesManifests()
        let roles = try Roles(manifests, definitions)
        // Workers exit 0 when their coordinator is stopped (workerExitsZeroWhenItsCoordinatorStops), so only a
        // controller that restarts on success keeps them for the resumed coordinator; a Job would count them done.
        for (line, _) in roles.workers {
            #expect(["Deployment", "StatefulSet"].contains(line.pod.owner.kind) && line.pod.restartPolicy == "Always",
                    "\(line.pod.owner.kind)/\(line.pod.owner.name): workers exit 0 when their coordinator stops; they need restartPolicy Always")
        }

        // The coordinator: a Job that always resumes, retries what resuming cures and fails on what it does not.
        let (line, invocation) = try #require(roles.coordinator.only)
        let job = line.pod.owner
        #expect(job.kind == "Job")
        #expect(invocation.flags.contains("--resume"), "without --resume a restarted coordinator exits 65")
        #expect(line.pod.restartPolicy == "Never", "podFailurePolicy needs restartPolicy Never")
        #expect((job["spec", "backoffLimit"]?.int ?? 6) >= 1)
        #expect(job["spec", "podReplacementPolicy"]?.string == "Failed", "a replacement must wait for the old pod (one journal writer)")
        let rules = job["spec", "podFailurePolicy", "rules"]?.array() ?? []
        let failCodes = rules.filter { $0["action"]?.string == "FailJob" }.flatMap { rule -> [Int32] in
            #expect(rule["onExitCodes"]?["operator"]?.string == "In")
            #expect(rule["onExitCodes"]?["containerName"]?.string == line.container["name"]?.string)
            return (rule["onExitCodes"]?["values"]?.array(of: Int.self) ?? []).map { Int32($0) }
        }
        #expect(Set(failCodes) == ExitContract.coordinatorPermanent, "FailJob on \(failCodes.sorted())")
        #expect(Set(failCodes).isDisjoint(with: ExitContract.coordinatorResume))
        #expect(rules.contains { rule in
            rule["action"]?.string == "Ignore" && (rule["onPodConditions"]?.array() ?? []).contains { $0["type"]?.string == "DisruptionTarget" }
        }, "evictions should not use up backoffLimit")
    }

    @Test func gpuWorkersRequestWholeGPUs() throws {
        let manifests = try KubernetesManifests()
        let gpuContainers = manifests.pods.flatMap { pod in pod.containers.map { (pod, $0) } }
            .filter { $0.1["resources"]?["limits"]?["nvidia.com/gpu"] != nil }
        #expect(!gpuContainers.isEmpty, "no container asks for nvidia.com/gpu")
        for (pod, container) in manifests.pods.flatMap({ pod in pod.containers.map { (pod, $0) } }) {
            let requests = container["resources"]?["requests"], limits = container["resources"]?["limits"]
            #expect(requests?["cpu"] != nil && requests?["memory"] != nil, "\(pod.owner.name): cpu and memory requests")
            if let request = requests?["nvidia.com/gpu"] {
                // Extended resources cannot be overcommitted: Kubernetes refuses a request without an equal limit.
                #expect(request.int != nil && request.int == limits?["nvidia.com/gpu"]?.int, "\(pod.owner.name): GPU request \(request) vs limit")
            }
        }
    }

    /// The fact the worker Deployment rests on, checked with real processes: a worker exits 0 when its coordinator
    /// is stopped by SIGTERM (as in an eviction), and `--resume` is safe on every start (no journal: a fresh study).
    @Test func workerExitsZeroWhenItsCoordinatorStops() throws {
        let scratch = try ScratchDirectory.make("k8s-contract")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let study = scratch.appendingPathComponent("study.yaml")
        try """
            name: evicted
            direction: minimize
            metric: value
            space:
              x0: {type: float, low: -5, high: 10}
              x1: {type: float, low: 0, high: 15}
            objective: {kind: test-function, function: branin, duration: 120}
            budget: {trials: 2}
            journal: \(scratch.appendingPathComponent("evicted.db").path)
            """.write(to: study, atomically: true, encoding: .utf8)
        let endpoint = FreePort.loopbackEndpoint()
        for session in 1...2 {
            let coordinator = try HPOProcess(["coordinator", study.path, "--bind", endpoint, "--resume", "--cancel-on-stop"])
            let worker = try HPOProcess(["worker", "--connect", endpoint, "--study", "evicted"])
            defer {
                for process in [coordinator, worker] where !process.hasExited {
                    process.signal(SIGKILL)
                    process.wait(timeout: 10)
                }
            }
            #expect(coordinator.waitForStandardError(timeout: 60) { $0.contains("session \(session) started") }, "\(coordinator.standardError)")
            #expect(coordinator.waitForStandardError(timeout: 60) { $0.contains(" joined ") }, "\(coordinator.standardError)")
            coordinator.signal(SIGTERM)
            #expect(worker.wait(timeout: 60) == 0, "worker: \(worker.standardError)")
            #expect(coordinator.wait(timeout: 60) == 130, "coordinator: \(coordinator.standardError)")
            if session == 1 {
                #expect(coordinator.standardError.contains("starting the study afresh"), "\(coordinator.standardError)")
            }
        }
    }
}
