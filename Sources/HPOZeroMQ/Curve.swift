internal import CZeroMQ
import Glibc

/// A CURVE (Curve25519) key pair in Z85 text: 40 printable characters per key.
public struct CurveKeyPair: Sendable, Hashable, CustomStringConvertible {
    /// The public key, safe to share (the server's goes to every client as `curveServerKey`).
    public var publicKey: String
    /// The secret key; keep it out of logs and shared files.
    public var secretKey: String

    public init(publicKey: String, secretKey: String) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// Shows only the public key.
    public var description: String { "CurveKeyPair(public: \(publicKey), secret: <redacted>)" }
}

/// Facts about the linked libzmq and its helpers.
public enum ZMQ {
    /// The libzmq version, e.g. (4, 3, 4). Corresponds to `zmq_version`.
    public static var version: (major: Int, minor: Int, patch: Int) {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return (Int(major), Int(minor), Int(patch))
    }

    /// Whether libzmq was built with `capability` (e.g. "curve", "ipc"). Corresponds to `zmq_has`.
    public static func has(_ capability: String) -> Bool {
        zmq_has(capability) != 0
    }

    /// Makes a new random CURVE key pair. Corresponds to `zmq_curve_keypair`.
    ///
    /// - Throws: `ZMQError` with `ENOTSUP` when libzmq was built without CURVE (libsodium).
    public static func curveKeypair() throws(ZMQError) -> CurveKeyPair {
        var publicKey = [CChar](repeating: 0, count: 41)
        var secretKey = [CChar](repeating: 0, count: 41)
        try ZMQCall.check("zmq_curve_keypair") { zmq_curve_keypair(&publicKey, &secretKey) }
        return CurveKeyPair(publicKey: string(publicKey), secretKey: string(secretKey))
    }

    /// Derives the public key from a secret key (both Z85). Corresponds to `zmq_curve_public`.
    ///
    /// - Throws: `ZMQError` with `EINVAL` when `secretKey` is not 40 Z85 characters.
    public static func curvePublicKey(fromSecret secretKey: String) throws(ZMQError) -> String {
        guard secretKey.utf8.count == 40 else {
            throw ZMQError(
                code: EINVAL, operation: "zmq_curve_public",
                message: "a CURVE secret key is 40 Z85 characters, got \(secretKey.utf8.count); generate a pair with ZMQ.curveKeypair()"
            )
        }
        var publicKey = [CChar](repeating: 0, count: 41)
        try ZMQCall.check("zmq_curve_public") { zmq_curve_public(&publicKey, secretKey) }
        return string(publicKey)
    }

    /// Encodes bytes as Z85 text (`bytes.count` must be a multiple of 4). Corresponds to `zmq_z85_encode`.
    ///
    /// - Returns: the text, or `nil` when the length is not a multiple of 4.
    public static func z85Encode(_ bytes: [UInt8]) -> String? {
        guard bytes.count % 4 == 0 else { return nil }
        var text = [CChar](repeating: 0, count: bytes.count * 5 / 4 + 1)
        guard zmq_z85_encode(&text, bytes, bytes.count) != nil else { return nil }
        return string(text)
    }

    /// Decodes Z85 text (length a multiple of 5) to bytes. Corresponds to `zmq_z85_decode`.
    ///
    /// - Returns: the bytes, or `nil` when the text is not valid Z85.
    public static func z85Decode(_ text: String) -> [UInt8]? {
        let count = text.utf8.count
        guard count % 5 == 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: count * 4 / 5)
        guard zmq_z85_decode(&bytes, text) != nil else { return nil }
        return bytes
    }

    private static func string(_ characters: [CChar]) -> String {
        String(decoding: characters.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
