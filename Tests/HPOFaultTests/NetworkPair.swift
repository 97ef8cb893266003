import Foundation
import HPOTestSupport

/// Two network namespaces made for one test, joined by a veth pair: `192.0.2.1/24` in ``coordinatorSide`` and
/// `192.0.2.2/24` in ``workerSide` (TEST-NET-1, and only inside these namespaces). Deleted by ``remove()``.
///
/// Nothing leaves the two namespaces: neither has a route to the host's networks.
final class NetworkPair {
    /// The namespace holding the coordinator (and any worker that should stay connected).
    let coordinatorSide: String
    /// The namespace holding the worker whose link is cut.
    let workerSide: String
    /// The coordinator side's address.
    let coordinatorAddress = "192.0.2.1"
    private let workerLink: String

    /// `ip`, if installed (Debian package iproute2).
    static var ip: String? {
        ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Why namespaces cannot be made here, or nil if they can (root with CAP_NET_ADMIN and `ip` installed).
    static let unavailableReason: String? = {
        guard let ip else { return "ip (iproute2) is not installed; run scripts/install-deps" }
        let probe = "hpo-probe-\(getpid())"
        let (status, output) = run(ip, ["netns", "add", probe])
        guard status == 0 else {
            return "ip netns add failed (\(output.trimmingCharacters(in: .whitespacesAndNewlines))): network namespaces need root with CAP_NET_ADMIN"
        }
        defer { run(ip, ["netns", "delete", probe]) }
        // Making a namespace needs CAP_SYS_ADMIN; links inside it need CAP_NET_ADMIN too.
        let (linkStatus, linkOutput) = run(ip, ["-n", probe, "link", "add", "hpoprobe0", "type", "veth", "peer", "name", "hpoprobe1"])
        guard linkStatus == 0 else {
            return "ip link add (veth) failed (\(linkOutput.trimmingCharacters(in: .whitespacesAndNewlines))): links need CAP_NET_ADMIN"
        }
        return nil
    }()

    /// Creates both namespaces and the link between them.
    ///
    /// - Throws: ``TestSupportError`` naming the `ip` command that failed and its output.
    init() throws {
        let tag = "\(getpid() % 100_000)"
        coordinatorSide = "hpo-c-\(tag)"
        workerSide = "hpo-w-\(tag)"
        workerLink = "hpow\(tag)"
        let coordinatorLink = "hpoc\(tag)"
        for namespace in [coordinatorSide, workerSide] { _ = Self.run(Self.ip ?? "ip", ["netns", "delete", namespace]) }
        do {
            try build(coordinatorLink: coordinatorLink)
        } catch {
            remove()
            throw error
        }
    }

    private func build(coordinatorLink: String) throws {
        try ip(["netns", "add", coordinatorSide])
        try ip(["netns", "add", workerSide])
        try ip(["link", "add", coordinatorLink, "netns", coordinatorSide, "type", "veth", "peer", "name", workerLink, "netns", workerSide])
        try ip(["-n", coordinatorSide, "addr", "add", "\(coordinatorAddress)/24", "dev", coordinatorLink])
        try ip(["-n", workerSide, "addr", "add", "192.0.2.2/24", "dev", workerLink])
        for (namespace, link) in [(coordinatorSide, coordinatorLink), (workerSide, workerLink)] {
            try ip(["-n", namespace, "link", "set", "lo", "up"])
            try ip(["-n", namespace, "link", "set", link, "up"])
        }
    }

    /// Cuts the worker side's link (both ends lose carrier; packets are dropped, no RST is sent).
    func cut() throws { try ip(["-n", workerSide, "link", "set", workerLink, "down"]) }

    /// Restores the worker side's link.
    func restore() throws { try ip(["-n", workerSide, "link", "set", workerLink, "up"]) }

    /// Deletes both namespaces (and with them the veth pair).
    func remove() {
        for namespace in [coordinatorSide, workerSide] { _ = Self.run(Self.ip ?? "ip", ["netns", "delete", namespace]) }
    }

    /// Starts the built `hpo` with `arguments` inside `namespace` (`ip netns exec` execs it, so the pid is hpo's).
    func hpo(in namespace: String, _ arguments: [String]) throws -> HPOProcess {
        try HPOProcess(
            executable: URL(fileURLWithPath: Self.ip ?? "ip"),
            arguments: ["netns", "exec", namespace, try HPOBinary.url("hpo").path] + arguments)
    }

    private func ip(_ arguments: [String]) throws {
        let (status, output) = Self.run(Self.ip ?? "ip", arguments)
        guard status == 0 else {
            throw TestSupportError("ip \(arguments.joined(separator: " ")) failed with status \(status): \(output)")
        }
    }

    /// Runs `executable` to its end; returns its status and its standard output and error, combined.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let reader = PipeReader()
        process.standardOutput = reader.pipe
        process.standardError = reader.pipe
        do { try process.run() } catch { return (-1, "\(error)") }
        reader.start()
        process.waitUntilExit()
        reader.waitForEnd(timeout: .seconds(5))
        return (process.terminationStatus, reader.text)
    }
}
