import HPOZeroMQ

extension WorkerConfiguration {
    /// Reads a duration written as seconds with a unit: `"60s"`, `"1.5s"`, `"200ms"`, `"2m"`, `"1h"`, or a bare
    /// number of seconds (`"30"`).
    ///
    /// - Returns: the duration, or `nil` when the text is not one of those forms or is negative.
    public static func duration(from text: String) -> Duration? {
        let trimmed = String(text.filter { !$0.isWhitespace }).lowercased()
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var number = trimmed
        var scale = 1.0
        if let unit = units.first(where: { trimmed.hasSuffix($0.suffix) }) {
            number = String(trimmed.dropLast(unit.suffix.count))
            scale = unit.seconds
        }
        guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
        return .milliseconds(Int64((value * scale * 1000).rounded()))
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
                "--curve-server-key: expected the coordinator's public key as 40 Z85 characters, got "
                    + "\(serverKey.utf8.count) characters; copy it from the coordinator's output")
        }
        curveServerKey = serverKey
        if let secretKey {
            guard let publicKey = try? ZMQ.curvePublicKey(fromSecret: secretKey) else {
                throw WorkerError(
                    "HPO_WORKER_SECRET_KEY: expected a CURVE secret key as 40 Z85 characters, got "
                        + "\(secretKey.utf8.count) characters")
            }
            curveKeyPair = CurveKeyPair(publicKey: publicKey, secretKey: secretKey)
        }
    }
}
