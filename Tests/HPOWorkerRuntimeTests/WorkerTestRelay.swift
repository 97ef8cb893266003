import Foundation
import Glibc

/// A TCP relay between a worker and a ROUTER socket that can go silent without closing anything: the connection
/// looks alive to both kernels but no byte gets through, as when a host vanishes or a NAT forgets the flow.
final class WorkerTestRelay: @unchecked Sendable {
    /// The port workers connect to (on 127.0.0.1).
    let port: UInt16
    private let upstreamPort: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var silenced: Set<Int32> = []   // client descriptors whose traffic is swallowed
    private var open: Set<Int32> = []
    private var stopped = false

    init(upstreamPort: UInt16) throws {
        self.upstreamPort = upstreamPort
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw RelayError("socket: errno \(errno)") }
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else { throw RelayError("bind/listen: errno \(errno)") }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        listener = descriptor
        port = UInt16(bigEndian: actual.sin_port)
        Thread { [self] in acceptLoop() }.start()
    }

    /// From now on, swallow every byte on the connections open at this moment (new ones are relayed normally).
    func silenceExistingConnections() {
        lock.withLock { silenced.formUnion(open) }
    }

    /// Stops accepting and closes everything.
    func stop() {
        lock.withLock { stopped = true }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private func acceptLoop() {
        defer { close(listener) }
        while !isStopped {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: upstreamPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else {
                close(client)
                close(upstream)
                continue
            }
            lock.withLock { _ = open.insert(client) }
            Thread { [self] in pump(client: client, upstream: upstream) }.start()
        }
    }

    private func pump(client: Int32, upstream: Int32) {
        defer {
            close(client)
            close(upstream)
            lock.withLock {
                open.remove(client)
                silenced.remove(client)   // The descriptor number will be reused by a later connection.
            }
        }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !isStopped {
            var descriptors = [
                pollfd(fd: client, events: Int16(POLLIN), revents: 0),
                pollfd(fd: upstream, events: Int16(POLLIN), revents: 0),
            ]
            guard poll(&descriptors, 2, 50) > 0 else { continue }
            let mute = lock.withLock { silenced.contains(client) }
            for (index, descriptor) in descriptors.enumerated() where descriptor.revents != 0 {
                let from = index == 0 ? client : upstream
                let to = index == 0 ? upstream : client
                let count = read(from, &buffer, buffer.count)
                if count <= 0 { return }
                if !mute { _ = buffer.withUnsafeBytes { write(to, $0.baseAddress, count) } }
            }
        }
    }
}

struct RelayError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
