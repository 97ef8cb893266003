import ArgumentParser
import HPOCoordinatorRuntime
import HPORuntimeSupport
import Logging

/// `--keys`, `--allow`, `--curve` and `--curve-allow` of `hpo coordinator`: the CURVE keys it serves with and the
/// clients it admits.
struct CoordinatorCurveOptions: ParsableArguments {
    @Option(name: .long, help: "CURVE keys from `hpo keygen DIR`: serve with DIR/coordinator.key and admit the clients in DIR/allowed/*.pub (re-read on SIGHUP).")
    var keys: String?

    @Option(name: .long, help: "With --keys: the allow-list, a directory of .pub files or a file with one public key per line (default DIR/allowed).")
    var allow: String?

    @Flag(name: .long, help: "Encrypt and authenticate with CURVE. The secret key comes from HPO_COORDINATOR_SECRET_KEY (else a fresh pair); the public key is printed for the workers' --curve-server-key. Prefer --keys.")
    var curve = false

    @Option(name: .long, parsing: .unconditionalSingleValue, help: "With --curve: admit only workers with this public key (repeatable; a key starting with - works as --curve-allow=KEY). Default: any worker that knows the server key.")
    var curveAllow: [String] = []

    func validate() throws {
        if !curveAllow.isEmpty && !curve {
            throw ValidationError("--curve-allow needs --curve")
        }
        if keys != nil && curve {
            throw ValidationError("--keys and --curve exclude each other: --keys DIR reads the keys `hpo keygen DIR` wrote")
        }
        if allow != nil && keys == nil {
            throw ValidationError("--allow needs --keys DIR (the coordinator's own key is DIR/coordinator.key)")
        }
    }

    /// The coordinator's keys: from `--keys DIR` (warning through `logger` when the secret key file is readable by
    /// others), a pair for `--curve`, or nil without CURVE.
    ///
    /// - Throws: `ExitCode(64)` after printing why a key could not be read.
    func coordinatorKeys(logger: Logger) throws -> CoordinatorKeys? {
        if let keys {
            let loaded = try StudyCommandSupport.curve(keys: keys, allow: allow)
            if let problem = CurveKeyFile.permissionProblem(CurveKeyDirectory(keys).coordinatorSecretKeyPath) {
                logger.warning("\(problem)")
            }
            return loaded
        }
        return curve ? try StudyCommandSupport.curve(allowing: curveAllow) : nil
    }
}
