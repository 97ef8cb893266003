import Foundation

/// Checks the syntax of ZeroMQ endpoints given by users (study file `transport:`, `hpo worker --connect`), so a typo
/// is reported with the value and an example instead of libzmq's bare `EINVAL` once the socket is made.
enum EndpointSyntax {
    /// What is wrong with `endpoint`, or nil when it looks right.
    ///
    /// - Parameter binding: whether the endpoint is bound (then `tcp://*:5555`, `tcp://host:*` and port 0 are fine)
    ///   rather than connected to (then the host and a port 1–65535 are required).
    static func problem(_ endpoint: String, binding: Bool) -> String? {
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
            guard let number = Int(port), number >= (binding ? 0 : 1), number <= 65535 else {
                let range = binding ? "0–65535 or *" : "1–65535"
                return "\"\(endpoint)\": the port must be a number \(range), got \"\(port)\"; write it as \(example)"
            }
            if !binding, host == "*" {
                return "\"\(endpoint)\": * is for binding; name the coordinator's host, e.g. tcp://head-node:\(number)"
            }
            return nil
        case "ipc", "inproc":
            return address.isEmpty ? "\"\(endpoint)\" names no \(transport) address; write it as \(example)" : nil
        default:
            return "\"\(endpoint)\": unknown transport \"\(transport)\"; use tcp://, ipc:// or inproc:// (e.g. \(example))"
        }
    }
}
