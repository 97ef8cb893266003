import Foundation

/// Checks the syntax of ZeroMQ endpoints given by users (study file `transport:`, `hpo worker --connect`), so a typo
/// is reported with the value and an example instead of libzmq's bare `EINVAL` once the socket is made.
///
/// tcp ports are decimal: 1–65535 to connect; to bind, also `*` or 0 (any free port, chosen by the system).
public enum EndpointSyntax {
    /// The longest ipc path: a Unix socket's `sun_path` holds 108 bytes including the terminating NUL.
    static let maximumIPCPathBytes = 107

    /// What is wrong with `endpoint`, or nil when it looks right.
    ///
    /// - Parameters:
    ///   - endpoint: as the user wrote it (study file `transport:`, `--bind`, `--connect`).
    ///   - binding: whether the endpoint is bound (then `tcp://*:5555`, `tcp://host:*` and port 0 are fine)
    ///     rather than connected to (then the host and a port 1–65535 are required).
    /// - Returns: the problem, echoing the endpoint and giving an example; nil when it looks right.
    public static func problem(_ endpoint: String, binding: Bool) -> String? {
        let example = binding ? "tcp://*:5555, tcp://127.0.0.1:* or ipc:///tmp/hpo.sock" : "tcp://head-node:5555 or ipc:///tmp/hpo.sock"
        guard let separator = endpoint.range(of: "://") else {
            return "expected an endpoint such as \(example), got \"\(endpoint)\""
        }
        let transport = endpoint[..<separator.lowerBound]
        let address = endpoint[separator.upperBound...]
        switch transport {
        case "tcp":
            guard let colon = address.lastIndex(of: ":") else {
                return "\"\(endpoint)\" has no port; write it as \(example)"
            }
            let host = address[..<colon]
            let port = address[address.index(after: colon)...]
            if host.isEmpty {
                return "\"\(endpoint)\" has no host; write it as \(example)"
            }
            if binding, port == "*" { return nil }
            // Digits only, at most 5: `Int` alone also takes "+80" and "-0", and libzmq itself takes any number and
            // keeps its low 16 bits (tcp://127.0.0.1:99999 bound port 34463).
            let isDecimal = !port.isEmpty && port.utf8.count <= 5 && port.utf8.allSatisfy { (0x30...0x39).contains($0) }
            guard isDecimal, let number = Int(port), number >= (binding ? 0 : 1), number <= 65535 else {
                let range = binding ? "0–65535 or *" : "1–65535"
                return "\"\(endpoint)\": the port must be a number \(range), got \"\(port)\"; write it as \(example)"
            }
            if !binding, host == "*" {
                return "\"\(endpoint)\": * is for binding; name the coordinator's host, e.g. tcp://head-node:\(number)"
            }
            return nil
        case "ipc", "inproc":
            if address.isEmpty { return "\"\(endpoint)\" names no \(transport) address; write it as \(example)" }
            if transport == "ipc", address.utf8.count > maximumIPCPathBytes {
                return "\"\(endpoint)\": the ipc path is \(address.utf8.count) bytes, longer than the \(maximumIPCPathBytes) a "
                    + "Unix socket path may have; use a shorter path such as ipc:///tmp/hpo.sock"
            }
            return nil
        default:
            return "\"\(endpoint)\": unknown transport \"\(transport)\"; use tcp://, ipc:// or inproc:// (e.g. \(example))"
        }
    }
}
