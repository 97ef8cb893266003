/// Where a trial runs on its worker: which worker (of a numbered set), which of its slots, and the slot's device.
///
/// A `command` objective passes it to the program as `HPO_WORKER_INDEX`, `HPO_SLOT` and `CUDA_VISIBLE_DEVICES`
/// (docs/worker.md, *Slots and GPUs*); in-process objectives may read it.
public struct TrialPlacement: Sendable, Hashable {
    /// The worker's index (`hpo worker --worker-index`; `hpo run` numbers its local workers 0, 1, …); ≥ 0, default 0.
    public var workerIndex: Int
    /// The slot the trial runs in, 0 ..< the worker's `--slots`; default 0.
    public var slot: Int
    /// The GPU given to this slot (`--gpus`), as `CUDA_VISIBLE_DEVICES` names it (an index like `2` or a UUID);
    /// nil when the worker assigns no devices.
    public var device: String?

    public init(workerIndex: Int = 0, slot: Int = 0, device: String? = nil) {
        self.workerIndex = workerIndex
        self.slot = slot
        self.device = device
    }

    /// Sets `HPO_WORKER_INDEX`, `HPO_SLOT` and, with a device, `CUDA_VISIBLE_DEVICES` (overriding the inherited
    /// value and the study file's `env`: the worker decides which device each slot uses).
    public func apply(to environment: inout [String: String]) {
        environment["HPO_WORKER_INDEX"] = "\(workerIndex)"
        environment["HPO_SLOT"] = "\(slot)"
        if let device { environment["CUDA_VISIBLE_DEVICES"] = device }
    }
}
