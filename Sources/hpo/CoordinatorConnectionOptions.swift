import ArgumentParser

/// `--connect`, `--connect-file`, `--keys`, `--key` and `--curve-server-key`: how `hpo worker`, `hpo status` and
/// `hpo enqueue` name a coordinator and the CURVE keys that reach it; `Role` gives each command its help texts.
struct CoordinatorConnectionOptions<Role: CoordinatorConnectionRole>: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(Role.connectHelp))
    var connect: String?

    @Option(name: .long, help: ArgumentHelp(Role.connectFileHelp))
    var connectFile: String?

    @Option(name: .long, help: "CURVE keys from `hpo keygen DIR`: verify the coordinator with DIR/coordinator.pub, authenticate with DIR/worker.key.")
    var keys: String?

    @Option(name: .long, help: ArgumentHelp(Role.keyHelp))
    var key: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(Role.curveServerKeyHelp))
    var curveServerKey: String?

    /// Checks the flags together: exactly one of `--connect` and `--connect-file` unless `studyFile` (a command's
    /// optional study-file argument) names the coordinator, a usable endpoint, and `--keys` for `--key`.
    ///
    /// - Throws: `ValidationError` (exit 64) naming the flags at fault.
    func validate(studyFile: String?) throws {
        switch (connect, connectFile) {
        case (nil, nil) where studyFile == nil: throw ValidationError(Role.missingCoordinator)
        case (.some, .some): throw ValidationError("--connect and --connect-file exclude each other")
        case (let endpoint?, nil):
            if let problem = Role.endpointProblem(endpoint) {
                throw ValidationError("--connect: \(problem)")
            }
        default: break
        }
        if keys != nil && curveServerKey != nil {
            throw ValidationError("--keys and --curve-server-key exclude each other: --keys DIR reads DIR/coordinator.pub")
        }
        if key != nil && keys == nil {
            throw ValidationError(Role.keyWithoutKeys)
        }
    }

    /// Whether the command line names the coordinator itself (`--connect` or `--connect-file`).
    var namesCoordinator: Bool { connect != nil || connectFile != nil }
}
