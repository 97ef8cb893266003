// HPOError's members (`code`, `message`, the initializer) reach HPOObjectives's users through this re-export.
@_exported public import HPOErrors

/// The worker role's one error type: a worker setting that cannot work (found before connecting), or a command
/// objective that could not be run or read (before any trial outcome exists; the trial then fails with the message
/// as its reason).
///
/// `code` is stable and machine-readable (docs/worker.md, *Error codes*); the message says what happened, echoes the
/// values and says what to do.
public typealias WorkerError = HPOError<WorkerErrorCode>

/// The class of problem of a ``WorkerError``; its raw value is the stable code.
public enum WorkerErrorCode: String, StableErrorCode {
    /// `--keys DIR` holds no usable worker key pair or coordinator public key.
    case badKeys = "bad_keys"
    /// `--curve-server-key` or `HPO_WORKER_SECRET_KEY` is not a 40-character Z85 key.
    case badKey = "bad_key"
    /// `--objectives` is empty or names a kind this build does not run.
    case badObjectives = "bad_objectives"
    /// `--connect-file` names a file whose content is not an endpoint.
    case badConnectFile = "bad_connect_file"
    /// `--connect-file` did not appear within `--coordinator-timeout`.
    case connectFileTimeout = "connect_file_timeout"
    /// `--gpus auto` found no GPU.
    case noGPU = "no_gpu"
    /// `--gpus` is not a device list, or lists a device twice.
    case badGPUList = "bad_gpu_list"
    /// `--gpus` lists fewer (or more) devices than the slots need.
    case gpuCountMismatch = "gpu_count_mismatch"
    /// A command objective's report line looks like a report but is not valid JSON, or `hpo` is not an object.
    case badReport = "bad_report"
    /// A command objective's result file (`$HPO_RESULT`) cannot be read or is not a number or JSON object.
    case badResultFile = "bad_result_file"
    /// A command objective's `argv` uses a placeholder the trial has no parameter for.
    case missingPlaceholder = "missing_placeholder"
    /// The trial's scratch directory cannot be created.
    case scratchDirectory = "scratch_directory"
}
