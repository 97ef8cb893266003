import Glibc

/// The process's host name and pid, as a worker reports them in READY.
enum HostIdentity {
    /// `gethostname(2)`, or "worker" when it fails.
    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "worker" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "worker" : name
    }

    /// `getpid(2)`.
    static var processID: Int { Int(getpid()) }

    /// A routing id for a worker: `name.pid.xxxx` (random hex suffix), at most 255 bytes as ZeroMQ requires.
    static func workerID(name: String) -> String {
        let suffix = String(UInt16.random(in: .min ... .max), radix: 16)
        let id = "\(name).\(processID).\(suffix)"
        return String(decoding: Array(id.utf8.prefix(255)), as: UTF8.self)
    }
}
