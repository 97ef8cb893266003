import Foundation
import Glibc

/// A loopback TCP listener that accepts each connection and closes it at once, counting them.
///
/// Stands where a coordinator will later bind, so a test can see a client's connection attempts (each retry is one
/// more accepted connection) before anything that speaks ZeroMQ is there.
public final class ClosingListener: @unchecked Sendable {
    /// The port listened on.
    public let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var count = 0
    private let stopped = DispatchSemaphore(value: 0)

    /// Listens on 127.0.0.1:`port` (address reuse on, so the port can be bound again right after ``stop()``).
    ///
    /// - Throws: ``TestSupportError`` with errno's text if the socket cannot be bound.
    public init(port: Int) throws {
        self.port = port
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw TestSupportError("cannot listen on 127.0.0.1:\(port): \(reason); pick another port")
        }
        let thread = Thread { [self] in
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 {
                    if errno == EINTR { continue }
                    break   // stop() shut the socket down.
                }
                close(client)
                lock.withLock { count += 1 }
            }
            stopped.signal()
        }
        thread.name = "hpo-test-closing-listener"
        thread.start()
    }

    /// Connections accepted (and closed) so far.
    public var accepted: Int {
        lock.withLock { count }
    }

    /// Stops listening and releases the port; waits (at most 5 s) for the accepting thread to end.
    public func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        _ = stopped.wait(timeout: .now() + 5)
        close(fd)
    }
}
