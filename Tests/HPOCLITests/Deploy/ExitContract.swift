/// What a supervisor (a Kubernetes controller, systemd) must do after each exit status of `hpo worker` and
/// `hpo coordinator`. The manifests and the unit file implement it; the tests check it against the statuses the
/// built binary documents, so a new status fails them until it is classified here (and in deploy/README.md).
enum ExitContract {
    /// `hpo worker` statuses a restart can cure: 0 (SHUTDOWN, sent when the study ends *and* when its coordinator is
    /// stopped, e.g. evicted: a restarted worker waits for the resumed coordinator), 1 socket error, 2 coordinator
    /// silent.
    static let workerRestart: Set<Int32> = [0, 1, 2]
    /// `hpo worker` statuses a restart only repeats: 3 refused (protocol version, objective kind), 4 wrong study,
    /// 64 usage.
    static let workerPermanent: Set<Int32> = [3, 4, 64]
    /// `hpo coordinator`: 0, the study completed.
    static let coordinatorDone: Set<Int32> = [0]
    /// `hpo coordinator` statuses after which a new start with `--resume` continues the study: 130 interrupted
    /// (SIGTERM of an eviction or drain). Kills (OOM: 137) are not in its help and are retried as well.
    static let coordinatorResume: Set<Int32> = [130]
    /// `hpo coordinator` statuses a restart only repeats: 1 the study failed, 3 search space exhausted, 64 usage,
    /// 65 bad study file or journal.
    static let coordinatorPermanent: Set<Int32> = [1, 3, 64, 65]
}
