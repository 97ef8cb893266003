import Foundation
import HPOZeroMQ
public import HPOObjectives
public import HPORuntimeSupport

extension WorkerConfiguration {
    /// Uses the key directory of `hpo keygen`: verifies the coordinator with `DIR/coordinator.pub` and authenticates
    /// with the secret key in `keyFile` (default `DIR/worker.key`).
    ///
    /// - Throws: `WorkerError` naming the key file that is missing or not a key.
    public mutating func useKeyDirectory(_ directory: CurveKeyDirectory, keyFile: String? = nil) throws(WorkerError) {
        do {
            let serverKey = try directory.coordinatorPublicKey()
            let pair = try directory.clientKeyPair(file: keyFile)
            curveServerKey = serverKey
            curveKeyPair = pair
        } catch {
            throw WorkerError(.badKeys, "--keys: \(error)")
        }
    }

    /// The objective kinds a worker accepts, from `--objectives` and whether its connection is authenticated.
    ///
    /// `command` runs any program the coordinator names, so it is opt-in when the coordinator is not authenticated
    /// (no CURVE: whoever holds the port is obeyed): without `--objectives` it is left out then, and naming it
    /// explicitly is allowed with a warning.
    ///
    /// - Parameters:
    ///   - requested: the kinds named by `--objectives` (comma-separated, already split), or nil for the default.
    ///   - authenticated: whether the worker verifies the coordinator's CURVE key.
    /// - Returns: the kinds to advertise and accept, and a warning to log (or nil).
    /// - Throws: `WorkerError` for an empty list or a kind this build does not run, listing the kinds it does.
    public static func capabilities(
        requested: [String]?, authenticated: Bool
    ) throws(WorkerError) -> (kinds: [String], warning: String?) {
        let available = ObjectiveFactory.availableKinds
        guard let requested else {
            return (authenticated ? available : available.filter { $0 != "command" }, nil)
        }
        let kinds = requested.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !kinds.isEmpty else {
            throw WorkerError(.badObjectives, "--objectives: name at least one kind, e.g. --objectives mlp,test-function (this build runs: \(available.joined(separator: ",")))")
        }
        for kind in kinds where !available.contains(kind) {
            throw WorkerError(
                .badObjectives,
                "--objectives: \"\(kind)\" is not an objective kind this build runs (it runs: \(available.joined(separator: ",")))")
        }
        var unique: [String] = []
        for kind in kinds where !unique.contains(kind) { unique.append(kind) }
        let warning = !authenticated && unique.contains("command")
            ? "this worker runs `command` trials (any program the coordinator names) from a coordinator it cannot "
                + "authenticate: whoever holds the port can run programs here as this user; use --keys DIR"
            : nil
        return (unique, warning)
    }
}
