/// Command-line choices that refine a study file for one session.
public struct StudySessionOptions: Sendable, Hashable {
    /// Continue the study recorded in the journal (`--resume`); without it an existing, non-empty journal is an error.
    public var resume: Bool = false
    /// CURVE for the coordinator's socket (`hpo coordinator --curve`); `nil` is plain TCP.
    public var curve: CoordinatorKeys?
    /// Bind a non-local endpoint without CURVE (`--insecure`); see `CoordinatorServiceOptions.insecure`. Default false.
    public var insecure: Bool = false
    /// Delete an existing journal and start the study afresh (`--overwrite`). Default false.
    public var overwrite: Bool = false
    /// Overrides `transport.bind` (`hpo coordinator --bind`).
    public var bind: String?
    /// Sync mode: trials per batch (`--batch-size`); default: the number of local workers, else the live workers.
    public var syncBatchSize: Int?
    /// Cancel running trials on the first SIGINT/SIGTERM instead of letting them finish (`--cancel-on-stop`).
    public var cancelRunningOnStop: Bool = false

    public init(resume: Bool = false, bind: String? = nil, syncBatchSize: Int? = nil, cancelRunningOnStop: Bool = false) {
        self.resume = resume
        self.bind = bind
        self.syncBatchSize = syncBatchSize
        self.cancelRunningOnStop = cancelRunningOnStop
    }
}
