import ArgumentParser
import Foundation
import HPOObjectives
import HPOWorkerRuntime

/// `--slots`, `--gpus` and `--worker-index` of `hpo worker`: how many trials it runs at once, each slot's device,
/// and the index its trials see (docs/worker.md, *Slots and GPUs*).
struct WorkerSlotOptions: ParsableArguments {
    @Option(name: .long, help: "Trials run at once, each on its own thread (1 to 64; default 1, or one per --gpus device).")
    var slots: Int?

    @Option(name: .long, help: "One GPU per slot, as CUDA_VISIBLE_DEVICES in each trial's environment: devices like 0,1,2,3, or auto (CUDA_VISIBLE_DEVICES, else nvidia-smi -L).")
    var gpus: String?

    @Option(name: .long, help: "This worker's index, given to trials as HPO_WORKER_INDEX (hpo run numbers its workers 0, 1, ...).")
    var workerIndex: Int = 0

    func validate() throws {
        if let slots, !(1...WorkerConfiguration.maxSlots).contains(slots) {
            throw ValidationError("--slots: expected 1 to \(WorkerConfiguration.maxSlots) trials at once, got \(slots)")
        }
        guard workerIndex >= 0 else {
            throw ValidationError("--worker-index: expected an index ≥ 0, got \(workerIndex)")
        }
    }

    /// Sets `configuration`'s slot count, each slot's device (from `--gpus`: a list, or `auto` through
    /// CUDA_VISIBLE_DEVICES or `nvidia-smi -L`) and the worker index.
    ///
    /// - Throws: `ValidationError` (exit 64) when `--gpus` finds no device, or more than `--slots` or 64 can use.
    func apply(to configuration: inout WorkerConfiguration) throws {
        configuration.workerIndex = workerIndex
        guard let gpus else {
            configuration.slots = slots ?? 1
            return
        }
        do {
            let devices = try GPUDevices.parse(
                gpus, environment: ProcessInfo.processInfo.environment, listGPUs: GPUDevices.nvidiaSMIList)
            let plan = try GPUDevices.assign(devices, slots: slots)
            guard plan.slots <= WorkerConfiguration.maxSlots else {
                throw WorkerError(.gpuCountMismatch, "--gpus lists \(devices.count) devices, more than the \(WorkerConfiguration.maxSlots) slots a worker may run; pass --slots")
            }
            (configuration.slots, configuration.slotDevices) = plan
        } catch {
            throw ValidationError(StudyCommandSupport.validationText(error))
        }
    }
}
