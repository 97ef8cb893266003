import Foundation
import Glibc
public import HPOZeroMQ

/// The key directory `hpo keygen DIR` writes, and that `--keys DIR` reads on every side of a study.
///
/// ```
/// DIR/coordinator.key     the coordinator's secret key (0600)
/// DIR/coordinator.pub     its public key: workers and `hpo status` verify the coordinator with it
/// DIR/worker.key          the secret key workers use (0600); more with `hpo keygen --worker NAME DIR`
/// DIR/allowed/*.pub       the clients the coordinator admits (one public key per file), re-read on SIGHUP
/// ```
/// Share the whole directory where every node reads it (a Slurm job directory, a Kubernetes Secret); a worker needs
/// only `coordinator.pub` and its `.key`, the coordinator only `coordinator.key` and `allowed/`.
public struct CurveKeyDirectory: Sendable, Hashable {
    /// The directory.
    public var path: String

    public init(_ path: String) {
        self.path = path
    }

    /// `DIR/coordinator.key`.
    public var coordinatorSecretKeyPath: String { file("coordinator.key") }
    /// `DIR/coordinator.pub`.
    public var coordinatorPublicKeyPath: String { file("coordinator.pub") }
    /// `DIR/allowed`: one `.pub` file per admitted client.
    public var allowedPath: String { file("allowed") }

    /// `DIR/NAME.key`: a client's secret key (`worker.key` by default).
    public func clientSecretKeyPath(name: String = "worker") -> String { file("\(name).key") }

    /// `DIR/allowed/NAME.pub`: a client's public key on the allow-list.
    public func allowedKeyPath(name: String) -> String { (allowedPath as NSString).appendingPathComponent("\(name).pub") }

    /// Creates the directory with a coordinator key pair and one client pair named `worker`.
    ///
    /// - Returns: the files written.
    /// - Throws: `CurveKeyError` when a key file already exists (keys are never overwritten) or cannot be written.
    public static func create(at path: String) throws(CurveKeyError) -> [String] {
        let directory = CurveKeyDirectory(path)
        try directory.makeDirectories()
        let coordinator = try generate()
        try CurveKeyFile.writeSecret(
            coordinator.secretKey, to: directory.coordinatorSecretKeyPath, comment: "hpo coordinator CURVE secret key")
        try CurveKeyFile.writePublic(
            coordinator.publicKey, to: directory.coordinatorPublicKeyPath,
            comment: "hpo coordinator CURVE public key: workers verify the coordinator with it")
        return [directory.coordinatorSecretKeyPath, directory.coordinatorPublicKeyPath] + (try directory.addClient(named: "worker"))
    }

    /// Adds a client key pair: `DIR/NAME.key` (secret) and `DIR/allowed/NAME.pub` (admitted from the next SIGHUP or
    /// start of the coordinator).
    ///
    /// - Returns: the files written.
    /// - Throws: `CurveKeyError` for a name that is not a plain file name, or a file that exists.
    public func addClient(named name: String) throws(CurveKeyError) -> [String] {
        guard !name.isEmpty, !name.hasPrefix("."), !name.contains("/"), name.utf8.count <= 64 else {
            throw CurveKeyError(.badName, "--worker: a key name is 1–64 characters, no \"/\" and no leading \".\", got \"\(name)\"")
        }
        try makeDirectories()
        let pair = try Self.generate()
        let secretPath = clientSecretKeyPath(name: name)
        let publicPath = allowedKeyPath(name: name)
        try CurveKeyFile.writeSecret(pair.secretKey, to: secretPath, comment: "hpo client CURVE secret key \"\(name)\"")
        try CurveKeyFile.writePublic(
            pair.publicKey, to: publicPath, comment: "hpo client CURVE public key \"\(name)\": the coordinator admits it")
        return [secretPath, publicPath]
    }

    /// The coordinator's key pair, read from `coordinator.key`.
    public func coordinatorKeyPair() throws(CurveKeyError) -> CurveKeyPair {
        try Self.pair(fromSecretFile: coordinatorSecretKeyPath)
    }

    /// The coordinator's public key, read from `coordinator.pub`.
    public func coordinatorPublicKey() throws(CurveKeyError) -> String {
        try CurveKeyFile.read(coordinatorPublicKeyPath)
    }

    /// A client's key pair, read from `file` (default `DIR/worker.key`).
    public func clientKeyPair(file: String? = nil) throws(CurveKeyError) -> CurveKeyPair {
        try Self.pair(fromSecretFile: file ?? clientSecretKeyPath())
    }

    /// The key pair whose secret key is in `path` (the public key is derived from it).
    public static func pair(fromSecretFile path: String) throws(CurveKeyError) -> CurveKeyPair {
        let secret = try CurveKeyFile.read(path)
        guard let publicKey = try? ZMQ.curvePublicKey(fromSecret: secret) else {
            throw CurveKeyError(.badKey, "the key in \(path) is not a CURVE secret key; recreate it with `hpo keygen`")
        }
        return CurveKeyPair(publicKey: publicKey, secretKey: secret)
    }

    private func file(_ name: String) -> String {
        (path as NSString).appendingPathComponent(name)
    }

    private func makeDirectories() throws(CurveKeyError) {
        for (directory, mode) in [(path, 0o700), (allowedPath, 0o755)] {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else {
                    throw CurveKeyError(.cannotWrite, "\(directory) exists and is not a directory; choose another key directory")
                }
                continue
            }
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: mode])
            } catch {
                throw CurveKeyError(.cannotWrite, "cannot create the key directory \(directory): \(error.localizedDescription)")
            }
        }
    }

    private static func generate() throws(CurveKeyError) -> CurveKeyPair {
        do {
            return try ZMQ.curveKeypair()
        } catch {
            throw CurveKeyError(.noCurve, "cannot generate a CURVE key pair: \(error) (this libzmq needs CURVE support: libsodium)")
        }
    }
}
