/// `WorkerExit` and the worker's protocol machine live in the pure `HPOWorkerCore`; users of `WorkerService`
/// see them through this module, as before the split.
@_exported public import HPOWorkerCore
