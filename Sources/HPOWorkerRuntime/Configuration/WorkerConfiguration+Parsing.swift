public import HPOObjectives
import HPOZeroMQ
import HPOStudyFile

extension WorkerConfiguration {
    /// What is wrong with `endpoint` as a ZeroMQ endpoint to connect to, or nil when it looks right: `tcp://host:port`
    /// (port 1–65535), `ipc:///path` or `inproc://name`. Catches the mistakes libzmq would only report as `EINVAL`.
    public static func endpointProblem(_ endpoint: String) -> String? {
        EndpointSyntax.problem(endpoint, binding: false)
    }

    /// Encrypts and authenticates the connection with CURVE.
    ///
    /// - Parameters:
    ///   - serverKey: the coordinator's public key (40 Z85 characters).
    ///   - secretKey: this worker's secret key (40 Z85 characters), or `nil` for a fresh key pair (only works when the
    ///     coordinator admits any client key).
    /// - Throws: `WorkerError` when a key is not 40 Z85 characters, saying which.
    public mutating func useCurve(serverKey: String, secretKey: String?) throws(WorkerError) {
        guard serverKey.utf8.count == 40, ZMQ.z85Decode(serverKey) != nil else {
            throw WorkerError(
                .badKey,
                "--curve-server-key: expected the coordinator's public key as 40 Z85 characters, got "
                    + "\(serverKey.utf8.count) characters; copy it from the coordinator's output")
        }
        curveServerKey = serverKey
        if let secretKey {
            guard let publicKey = try? ZMQ.curvePublicKey(fromSecret: secretKey) else {
                throw WorkerError(
                .badKey,
                    "HPO_WORKER_SECRET_KEY: expected a CURVE secret key as 40 Z85 characters, got "
                        + "\(secretKey.utf8.count) characters")
            }
            curveKeyPair = CurveKeyPair(publicKey: publicKey, secretKey: secretKey)
        }
    }
}
