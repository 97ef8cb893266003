/// What differs between the commands that reach a coordinator (`hpo worker`; the clients `hpo status` and
/// `hpo enqueue`): the help texts and usage errors of their `CoordinatorConnectionOptions`. The defaults are the
/// clients'.
protocol CoordinatorConnectionRole {
    /// `--connect`'s help text.
    static var connectHelp: String { get }
    /// `--connect-file`'s help text.
    static var connectFileHelp: String { get }
    /// `--key`'s help text.
    static var keyHelp: String { get }
    /// `--curve-server-key`'s help text.
    static var curveServerKeyHelp: String { get }
    /// The usage error when nothing names the coordinator.
    static var missingCoordinator: String { get }
    /// The usage error for `--key` without `--keys`.
    static var keyWithoutKeys: String { get }
    /// Why the command cannot connect to `endpoint` (the `--connect` value), or nil when it can.
    static func endpointProblem(_ endpoint: String) -> String?
}

extension CoordinatorConnectionRole {
    static var connectHelp: String { "The coordinator's endpoint, e.g. tcp://head-node:5555." }
    static var connectFileHelp: String { "Read the endpoint from this file (hpo coordinator --endpoint-file)." }
    static var keyHelp: String { "With --keys: the client secret key file (default DIR/worker.key)." }
    static var curveServerKeyHelp: String { "The coordinator's CURVE public key, when it runs with --curve (this client's secret key: HPO_STATUS_SECRET_KEY, else a fresh pair). Prefer --keys." }
    static var missingCoordinator: String { "name the coordinator: --connect ENDPOINT, --connect-file PATH or the study file" }
    static var keyWithoutKeys: String { "--key needs --keys DIR" }

    /// Only the scheme is checked (`tcp://`, `ipc://`): the connection reports the rest.
    static func endpointProblem(_ endpoint: String) -> String? {
        endpoint.contains("://") ? nil : "expected an endpoint like tcp://host:5555, got \"\(endpoint)\""
    }
}
