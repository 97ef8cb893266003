/// A peer of the coordinator's ROUTER socket, named by its ZeroMQ routing id.
///
/// Workers and `hpo status` clients are both peers; only those that sent READY (or re-joined by
/// reporting a trial) are workers. Encoded in the journal as text: the routing id itself when it is
/// printable ASCII (a worker that sets `ZMQ_ROUTING_ID` to its name), otherwise `0x` and hex digits.
public struct WorkerID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The routing id bytes, as the ROUTER socket reports them in a message's first frame.
    public var routingID: [UInt8]

    /// Wraps a routing id.
    public init(routingID: [UInt8]) {
        self.routingID = routingID
    }

    /// A routing id spelled as text (tests, and routing ids a worker chose itself).
    public init(_ name: String) {
        self.routingID = Array(name.utf8)
    }

    /// The printable form used in logs and in the journal.
    public var description: String {
        let printable = !routingID.isEmpty && routingID.allSatisfy { (0x21...0x7E).contains($0) } && routingID.first != UInt8(ascii: "0")
        if printable {
            return String(decoding: routingID, as: UTF8.self)
        }
        let digits = routingID.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }
        return "0x" + digits.joined()
    }

    /// Parses the printable form back (inverse of `description`).
    public init?(printed text: String) {
        if text.hasPrefix("0x") {
            let hex = Array(text.utf8.dropFirst(2))
            guard hex.count % 2 == 0 else { return nil }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(hex.count / 2)
            var index = 0
            while index < hex.count {
                guard let byte = UInt8(String(decoding: hex[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(byte)
                index += 2
            }
            self.routingID = bytes
        } else {
            guard !text.isEmpty else { return nil }
            self.routingID = Array(text.utf8)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = WorkerID(printed: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "worker id \"\(text)\" is neither printable text nor 0x-prefixed hex")
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
