/// READY (worker -> coordinator): a worker announces itself and asks for work.
///
/// The first message of every connection (after each reconnect too), and the answer to ERROR `not_ready`.
public struct Ready: Sendable, Hashable {
    /// The protocol version the worker speaks (also in frame 0); ≥ 1.
    public var protocolVersion: Int
    /// The worker's host name, for status displays.
    public var host: String
    /// The worker's process id, for status displays; ≥ 1.
    public var pid: Int
    /// The objective kinds the worker can run (e.g. `["mlp", "command", "null"]`).
    public var capabilities: [String]
    /// How many trials the worker runs at once; ≥ 1, default 1.
    public var slots: Int
    /// The study this worker is pinned to (`hpo worker --study`), or nil for any study. A coordinator of another
    /// study refuses the worker (ERROR `wrong_study`, then SHUTDOWN) instead of giving it trials.
    public var study: String?
    /// The BLAS kernels the worker runs on and how they were chosen, e.g. `SkylakeX (chosen by hpo: …)`, for
    /// `hpo status`; nil from workers that do not say.
    public var blasKernels: String?

    public init(
        protocolVersion: Int = WireCodec.protocolVersion, host: String, pid: Int, capabilities: [String], slots: Int = 1,
        study: String? = nil, blasKernels: String? = nil
    ) {
        self.protocolVersion = protocolVersion
        self.host = host
        self.pid = pid
        self.capabilities = capabilities
        self.slots = slots
        self.study = study
        self.blasKernels = blasKernels
    }
}
