import Glibc

/// Loopback TCP ports for tests that must name an endpoint before anything binds it.
public enum FreePort {
    /// A loopback TCP port that was free a moment ago (the kernel's choice for port 0, then released).
    ///
    /// Another process may take it before the caller binds it; tests bind it at once.
    public static func loopback() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// `tcp://127.0.0.1:<port>` for a port from ``loopback()``.
    public static func loopbackEndpoint() -> String {
        "tcp://127.0.0.1:\(loopback())"
    }
}
