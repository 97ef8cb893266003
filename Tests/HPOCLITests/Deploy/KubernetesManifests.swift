import Foundation
import HPOTestSupport
import Yams

/// Every object of the YAML files in `deploy/kubernetes/`, parsed with Yams, and the pod templates inside them.
struct KubernetesManifests {
    /// One object (`kind`, `metadata.name`) and its whole YAML node.
    struct Object {
        let kind: String
        let name: String
        let file: String
        let node: Node

        /// `node[path[0]][path[1]]…`.
        subscript(_ path: String...) -> Node? { path.reduce(Optional(node)) { $0?[$1] } }
    }

    /// A pod template of a Job, Deployment or StatefulSet.
    struct Pod {
        /// The controller that owns it.
        let owner: Object
        /// `spec.template.spec`.
        let spec: Node
        /// `spec.template.metadata.labels`.
        let labels: [String: String]

        /// `restartPolicy`, or Kubernetes' default (`Always`).
        var restartPolicy: String { spec["restartPolicy"]?.string ?? "Always" }
        var containers: [Node] { spec["containers"]?.array() ?? [] }
        var volumes: [Node] { spec["volumes"]?.array() ?? [] }

        /// The volume named `name`.
        func volume(_ name: String) -> Node? { volumes.first { $0["name"]?.string == name } }

        /// The volume mounted at `path` (exactly) by `container`.
        func volume(mountedAt path: String, in container: Node) -> Node? {
            let mount = (container["volumeMounts"]?.array() ?? []).first { $0["mountPath"]?.string == path }
            return mount?["name"]?.string.flatMap { volume($0) }
        }

        /// The volume mount of `container` that holds `path` (the longest mountPath that is a prefix of it).
        func mount(holding path: String, in container: Node) -> (mountPath: String, volume: Node)? {
            (container["volumeMounts"]?.array() ?? [])
                .compactMap { mount -> (String, Node)? in
                    guard let mountPath = mount["mountPath"]?.string, path.hasPrefix(mountPath + "/"),
                          let volume = mount["name"]?.string.flatMap({ self.volume($0) }) else { return nil }
                    return (mountPath, volume)
                }
                .max { $0.0.count < $1.0.count }
        }
    }

    /// An `hpo` command line found in a container: its main process (`args`, the image's entrypoint being hpo) or an
    /// exec probe.
    struct CommandLine {
        let pod: Pod
        let container: Node
        /// `"args"` or the probe's key (`"readinessProbe"`).
        let place: String
        /// The words after `hpo`.
        let arguments: [String]
    }

    let objects: [Object]

    /// The repository's `deploy/kubernetes` directory.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("deploy/kubernetes")

    /// Parses every `*.yaml` in `directory`.
    ///
    /// - Throws: Yams' error for a file that is not YAML, `TestSupportError` for a document without kind or name.
    init(directory: URL = Self.directory) throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
        var objects: [Object] = []
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            var documents = try Yams.compose_all(yaml: text)
            while let node = documents.next() {
                guard let kind = node["kind"]?.string, let name = node["metadata"]?["name"]?.string else {
                    throw TestSupportError("\(file): a document without kind or metadata.name")
                }
                objects.append(Object(kind: kind, name: name, file: file, node: node))
            }
            if let error = documents.error { throw error }
        }
        self.objects = objects
    }

    /// The objects of `kind`.
    func objects(_ kind: String) -> [Object] { objects.filter { $0.kind == kind } }

    /// The object of `kind` named `name`.
    func object(_ kind: String, _ name: String) -> Object? { objects.first { $0.kind == kind && $0.name == name } }

    /// The pod templates of every Job, Deployment and StatefulSet.
    var pods: [Pod] {
        objects.filter { ["Job", "Deployment", "StatefulSet"].contains($0.kind) }.compactMap { owner in
            guard let spec = owner["spec", "template", "spec"] else { return nil }
            var labels: [String: String] = [:]
            for (key, value) in owner["spec", "template", "metadata", "labels"]?.mapping ?? [:] {
                if let key = key.string, let value = value.string { labels[key] = value }
            }
            return Pod(owner: owner, spec: spec, labels: labels)
        }
    }

    /// Every `hpo` command line: container args (images whose entrypoint is hpo, no `command`) and exec probes.
    var commandLines: [CommandLine] {
        pods.flatMap { pod in
            pod.containers.flatMap { container -> [CommandLine] in
                var lines: [CommandLine] = []
                if container["command"] == nil, let args = container["args"]?.array(of: String.self) {
                    lines.append(CommandLine(pod: pod, container: container, place: "args", arguments: args))
                }
                for probe in ["readinessProbe", "livenessProbe", "startupProbe"] {
                    if let command = container[probe]?["exec"]?["command"]?.array(of: String.self),
                       command.first.map({ $0 == "hpo" || $0.hasSuffix("/hpo") }) == true {
                        lines.append(CommandLine(pod: pod, container: container, place: probe, arguments: Array(command.dropFirst())))
                    }
                }
                return lines
            }
        }
    }
}
