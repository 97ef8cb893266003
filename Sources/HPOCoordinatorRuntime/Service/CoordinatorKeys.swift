import HPOZeroMQ
public import HPORuntimeSupport

/// The coordinator's CURVE keys: its key pair and the client public keys it admits on its ROUTER socket.
public struct CoordinatorKeys: Sendable, Hashable {
    /// The coordinator's long-term secret key (40 Z85 characters); workers connect with its public key.
    public var secretKey: String
    /// The coordinator's public key, derived from `secretKey` (workers verify the coordinator with it).
    public let publicKey: String
    /// Public keys of the clients admitted; `nil` admits any client that knows the server's public key.
    public var allowedClientKeys: Set<String>?
    /// Where `allowedClientKeys` came from (`--keys DIR` reads `DIR/allowed`), re-read by
    /// `CoordinatorService.reloadAllowList()` on SIGHUP; nil when the keys were given directly.
    public var allowList: CurveAllowList?

    /// Checks the keys.
    ///
    /// - Throws: `CoordinatorError` naming the key that is not 40 Z85 characters.
    public init(secretKey: String, allowedClientKeys: Set<String>?) throws(CoordinatorError) {
        guard let publicKey = try? ZMQ.curvePublicKey(fromSecret: secretKey) else {
            throw CoordinatorError(
                .badKeys,
                "the coordinator's CURVE secret key must be 40 Z85 characters, got \(secretKey.utf8.count) characters; "
                    + "create keys with `hpo keygen DIR` and pass --keys DIR")
        }
        for key in allowedClientKeys ?? [] where !CurveKeyFile.isKey(key) {
            throw CoordinatorError(
                .badKeys,
                "--curve-allow: a client public key must be 40 Z85 characters, got \"\(key)\" (\(key.utf8.count) characters)")
        }
        self.secretKey = secretKey
        self.publicKey = publicKey
        self.allowedClientKeys = allowedClientKeys
    }

    /// The settings of `hpo coordinator --keys DIR`: the secret key from `DIR/coordinator.key`, the allow-list from
    /// `allowList` (default `DIR/allowed`), read now and again on every `reloadAllowList()`.
    ///
    /// - Throws: `CoordinatorError` naming the file that is missing or not a key.
    public init(keyDirectory: CurveKeyDirectory, allowList: CurveAllowList? = nil) throws(CoordinatorError) {
        let list = allowList ?? CurveAllowList(path: keyDirectory.allowedPath)
        do {
            let pair = try keyDirectory.coordinatorKeyPair()
            try self.init(secretKey: pair.secretKey, allowedClientKeys: try list.load())
        } catch let error as CurveKeyError {
            throw CoordinatorError(.badKeys, "--keys: \(error)")
        } catch let error as CoordinatorError {
            throw error
        } catch {
            throw CoordinatorError(.badKeys, "--keys: \(error)")
        }
        self.allowList = list
    }

    /// A fresh key pair (when none was configured).
    public static func generated(allowedClientKeys: Set<String>?) throws(CoordinatorError) -> CoordinatorKeys {
        do {
            return try CoordinatorKeys(secretKey: ZMQ.curveKeypair().secretKey, allowedClientKeys: allowedClientKeys)
        } catch let error as CoordinatorError {
            throw error
        } catch {
            throw CoordinatorError(.badKeys, "cannot generate a CURVE key pair: \(error)")
        }
    }
}
