import HPOZeroMQ

/// CURVE encryption and authentication for the coordinator's ROUTER socket.
public struct CoordinatorCurve: Sendable, Hashable {
    /// The coordinator's long-term secret key (40 Z85 characters); workers connect with its public key.
    public var secretKey: String
    /// The coordinator's public key, derived from `secretKey` (give it to workers: `--curve-server-key`).
    public let publicKey: String
    /// Public keys of the clients admitted; `nil` admits any client that knows the server's public key.
    public var allowedClientKeys: Set<String>?

    /// Checks the keys.
    ///
    /// - Throws: `StudySessionError` naming the key that is not 40 Z85 characters.
    public init(secretKey: String, allowedClientKeys: Set<String>?) throws(StudySessionError) {
        guard let publicKey = try? ZMQ.curvePublicKey(fromSecret: secretKey) else {
            throw StudySessionError(
                "the coordinator's CURVE secret key must be 40 Z85 characters, got \(secretKey.utf8.count) characters; "
                    + "generate a pair with `hpo coordinator --curve` (it prints one) or leave it unset")
        }
        for key in allowedClientKeys ?? [] where key.utf8.count != 40 || ZMQ.z85Decode(key) == nil {
            throw StudySessionError(
                "--curve-allow: a client public key must be 40 Z85 characters, got \"\(key)\" (\(key.utf8.count) characters)")
        }
        self.secretKey = secretKey
        self.publicKey = publicKey
        self.allowedClientKeys = allowedClientKeys
    }

    /// A fresh key pair (when none was configured).
    public static func generated(allowedClientKeys: Set<String>?) throws(StudySessionError) -> CoordinatorCurve {
        do {
            return try CoordinatorCurve(secretKey: ZMQ.curveKeypair().secretKey, allowedClientKeys: allowedClientKeys)
        } catch let error as StudySessionError {
            throw error
        } catch {
            throw StudySessionError("cannot generate a CURVE key pair: \(error)")
        }
    }
}
