import ArgumentParser
import Foundation
import HPOWorkerRuntime

extension RunCommand {
    /// The `hpo worker` arguments of each local worker for `--slots` and `--gpus`: worker i gets devices
    /// `i × slots ..< (i + 1) × slots` (docs/worker.md, *Slots and GPUs*).
    ///
    /// - Throws: `ValidationError` (exit 64) when `--gpus` names fewer devices than `--workers × --slots`, or `auto`
    ///   finds none.
    func localWorkerArguments() throws -> [[String]] {
        let slotArguments = slots > 1 ? ["--slots", "\(slots)"] : []
        guard let gpus else { return Array(repeating: slotArguments, count: workers) }
        do {
            let devices = try GPUDevices.parse(
                gpus, environment: ProcessInfo.processInfo.environment, listGPUs: GPUDevices.nvidiaSMIList)
            return try GPUDevices.split(devices, workers: workers, slots: slots).map { own in
                slotArguments + ["--gpus", own.joined(separator: ",")]
            }
        } catch {
            throw ValidationError(StudyCommandSupport.validationText(error))
        }
    }
}
