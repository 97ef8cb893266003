/// Which endpoints only this machine can reach: binding one of those needs no CURVE.
public enum EndpointSecurity {
    /// Whether a bind endpoint is reachable from this machine only: `ipc://` and `inproc://`, or `tcp://` on a
    /// loopback address (`127.0.0.0/8`, `localhost`, `[::1]`, interface `lo`).
    ///
    /// `tcp://*`, `0.0.0.0`, `[::]`, host names and other addresses are not: anyone on the network may connect.
    public static func isLocalOnly(_ endpoint: String) -> Bool {
        if endpoint.hasPrefix("ipc://") || endpoint.hasPrefix("inproc://") { return true }
        guard endpoint.hasPrefix("tcp://") else { return false }
        var address = endpoint.dropFirst("tcp://".count)
        // `tcp://source;address` names a source address for connects; only the part after `;` is bound.
        if let semicolon = address.lastIndex(of: ";") { address = address[address.index(after: semicolon)...] }
        guard let colon = address.lastIndex(of: ":") else { return false }
        var host = address[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        if host == "localhost" || host == "lo" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
