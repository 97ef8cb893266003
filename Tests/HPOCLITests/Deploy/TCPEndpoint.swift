/// `tcp://host:port`, as the manifests write endpoints.
struct TCPEndpoint: CustomStringConvertible {
    let host: String
    let port: Int

    init?(_ text: String) {
        guard text.hasPrefix("tcp://"), let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else { return nil }
        host = String(text[text.index(text.startIndex, offsetBy: 6)..<colon])
        self.port = port
    }

    var description: String { "tcp://\(host):\(port)" }
}
