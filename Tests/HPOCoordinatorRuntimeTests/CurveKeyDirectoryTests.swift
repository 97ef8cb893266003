import Foundation
import Glibc
import HPOZeroMQ
import Testing
import HPORuntimeSupport
import HPOTestSupport
import HPOObjectives
import HPOWorkerRuntime

/// The key directory `hpo keygen` writes and `--keys` reads, and the allow-list formats.
@Suite struct CurveKeyDirectoryTests {
    @Test func createWritesPrivateSecretsAndPublicKeysThatMatch() throws {
        let root = try CoordinatorFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("keys").path
        let written = try CurveKeyDirectory.create(at: path)
        let keys = CurveKeyDirectory(path)
        #expect(Set(written) == [
            keys.coordinatorSecretKeyPath, keys.coordinatorPublicKeyPath, keys.clientSecretKeyPath(),
            keys.allowedKeyPath(name: "worker"),
        ])
        #expect(FileMode.permissions(keys.coordinatorSecretKeyPath) == 0o600)
        #expect(FileMode.permissions(keys.clientSecretKeyPath()) == 0o600)
        #expect(FileMode.permissions(keys.coordinatorPublicKeyPath) == 0o644)
        #expect(FileMode.permissions(path) == 0o700)
        #expect(CurveKeyFile.permissionProblem(keys.coordinatorSecretKeyPath) == nil)
        #expect(try keys.coordinatorKeyPair().publicKey == keys.coordinatorPublicKey())
        #expect(try CurveAllowList(path: keys.allowedPath).load() == [try keys.clientKeyPair().publicKey])

        let again = #expect(throws: CurveKeyError.self) { try CurveKeyDirectory.create(at: path) }
        #expect(again?.description.contains("never overwritten") == true)

        _ = try keys.addClient(named: "gpu-1")
        #expect(try CurveAllowList(path: keys.allowedPath).load().count == 2)
        #expect(throws: CurveKeyError.self) { try keys.addClient(named: "../escape") }
    }

    @Test func anAllowListFileHasOneKeyPerLineAndNamesABadLine() throws {
        let root = try CoordinatorFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let key = try ZMQ.curveKeypair().publicKey
        let file = root.appendingPathComponent("allowed.txt").path
        try "# workers\n\(key)\n\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try CurveAllowList(path: file).load() == [key])
        try "\(key)\nnot-a-key\n".write(toFile: file, atomically: true, encoding: .utf8)
        let error = #expect(throws: CurveKeyError.self) { try CurveAllowList(path: file).load() }
        #expect(error?.description.contains("allowed.txt:2") == true)
        #expect(throws: CurveKeyError.self) { try CurveAllowList(path: root.appendingPathComponent("missing").path).load() }
    }

    @Test func aWorkerTakesItsKeysFromTheDirectory() throws {
        let root = try CoordinatorFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("keys").path
        _ = try CurveKeyDirectory.create(at: path)
        var configuration = WorkerConfiguration(endpoint: "tcp://127.0.0.1:1")
        try configuration.useKeyDirectory(CurveKeyDirectory(path))
        #expect(configuration.curveServerKey == (try CurveKeyDirectory(path).coordinatorPublicKey()))
        #expect(configuration.curveKeyPair == (try CurveKeyDirectory(path).clientKeyPair()))
        let error = #expect(throws: WorkerError.self) {
            try configuration.useKeyDirectory(CurveKeyDirectory(root.appendingPathComponent("none").path))
        }
        #expect(error?.description.contains("hpo keygen") == true)
    }
}
