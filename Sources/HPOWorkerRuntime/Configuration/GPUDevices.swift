public import HPOObjectives
import Foundation
import HPORuntimeSupport

/// The GPUs a worker gives its slots (`hpo worker --gpus`, `hpo run --gpus`): one device per slot, passed to each
/// trial as `CUDA_VISIBLE_DEVICES` (docs/worker.md, *Slots and GPUs*).
public enum GPUDevices {
    /// Reads a `--gpus` value: devices separated by commas (`0,1,2,3`, or UUIDs such as `GPU-5f2c…`, as
    /// `CUDA_VISIBLE_DEVICES` names them), or `auto`: the devices of `CUDA_VISIBLE_DEVICES` when it is set, else
    /// the GPUs `nvidia-smi -L` lists (by index).
    ///
    /// - Parameters:
    ///   - text: the flag's value.
    ///   - environment: the process environment (for `CUDA_VISIBLE_DEVICES`).
    ///   - listGPUs: `nvidia-smi -L`'s output, or nil when `nvidia-smi` is not there (``nvidiaSMIList()``).
    /// - Returns: the devices, in order, without duplicates; at least one.
    /// - Throws: `WorkerError` for an empty or duplicated list, or `auto` finding nothing, saying what to pass.
    public static func parse(
        _ text: String, environment: [String: String], listGPUs: () -> String?
    ) throws(WorkerError) -> [String] {
        let spec = text.trimmingCharacters(in: .whitespaces)
        guard spec.lowercased() == "auto" else { return try list(spec, what: "--gpus") }
        if let visible = environment["CUDA_VISIBLE_DEVICES"]?.trimmingCharacters(in: .whitespaces), !visible.isEmpty {
            return try list(visible, what: "--gpus auto: CUDA_VISIBLE_DEVICES")
        }
        guard let output = listGPUs() else {
            throw WorkerError(
                .noGPU,
                "--gpus auto: CUDA_VISIBLE_DEVICES is not set and nvidia-smi is not on PATH, so no GPU was found; "
                    + "name the devices (--gpus 0,1) or leave out --gpus")
        }
        let indices = indices(fromNvidiaSMI: output)
        guard !indices.isEmpty else {
            throw WorkerError(
                .noGPU,
                "--gpus auto: nvidia-smi -L lists no GPU; name the devices (--gpus 0,1) or leave out --gpus")
        }
        return indices
    }

    /// The device of each slot: the first `slots` devices (nil `slots`: one slot per device).
    ///
    /// - Returns: the slot count and the device of each slot.
    /// - Throws: `WorkerError` when there are fewer devices than slots, saying what to pass instead.
    public static func assign(_ devices: [String], slots: Int?) throws(WorkerError) -> (slots: Int, devices: [String]) {
        let count = slots ?? devices.count
        guard devices.count >= count else {
            throw WorkerError(
                .gpuCountMismatch,
                "--gpus lists \(devices.count) device(s) (\(devices.joined(separator: ","))) but --slots is \(count): "
                    + "every slot needs a device of its own; lower --slots to \(devices.count), or list \(count) devices")
        }
        return (count, Array(devices.prefix(count)))
    }

    /// Splits devices among `workers` local workers of `slots` slots each: worker i gets devices
    /// `i × slots ..< (i + 1) × slots` (`hpo run --gpus`).
    ///
    /// - Throws: `WorkerError` when there are fewer devices than `workers × slots`, saying what to pass instead.
    public static func split(_ devices: [String], workers: Int, slots: Int) throws(WorkerError) -> [[String]] {
        let needed = workers * slots
        guard devices.count >= needed else {
            throw WorkerError(
                .gpuCountMismatch,
                "--gpus lists \(devices.count) device(s) (\(devices.joined(separator: ","))) but \(workers) worker(s) × "
                    + "\(slots) slot(s) need \(needed): every slot needs a device of its own; lower --workers or --slots, "
                    + "or list more devices")
        }
        return (0..<workers).map { Array(devices[($0 * slots)..<(($0 + 1) * slots)]) }
    }

    /// The GPU indices in `nvidia-smi -L` output (`GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-…)`); MIG lines are
    /// not counted.
    static func indices(fromNvidiaSMI output: String) -> [String] {
        output.split(whereSeparator: \.isNewline).compactMap { line -> String? in
            let text = line.trimmingCharacters(in: .whitespaces)
            guard text.hasPrefix("GPU "), let colon = text.firstIndex(of: ":") else { return nil }
            let index = text[text.index(text.startIndex, offsetBy: 4)..<colon]
            return Int(index).map(String.init)
        }
    }

    /// Runs `nvidia-smi -L` (at most 10 s) and returns its output; nil when it is not on PATH or fails.
    public static func nvidiaSMIList() -> String? {
        guard ChildProcess.resolve("nvidia-smi") != nil,
            let process = try? ChildProcess(argv: ["nvidia-smi", "-L"], environment: ProcessInfo.processInfo.environment)
        else { return nil }
        var lines: [String] = []
        let collect: (ChildProcess.Stream, String) -> Void = { stream, line in
            if stream == .stdout { lines.append(line) }
        }
        switch process.wait(until: .now + .seconds(10), line: collect) {
        case .exited:
            guard process.finish(line: collect) == .exited(0) else { return nil }
        case .deadline, .interrupted:
            _ = process.terminate(grace: .seconds(1), line: collect)
            return nil
        }
        return lines.joined(separator: "\n")
    }

    /// Devices separated by commas; refuses an empty list, an empty entry and a duplicate.
    private static func list(_ text: String, what: String) throws(WorkerError) -> [String] {
        let devices = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard !devices.isEmpty, !devices.contains(where: \.isEmpty) else {
            throw WorkerError(.badGPUList, "\(what): expected devices separated by commas like 0,1,2,3 (or auto), got \"\(text)\"")
        }
        var seen = Set<String>()
        for device in devices where !seen.insert(device).inserted {
            throw WorkerError(.badGPUList, "\(what): device \(device) is listed twice in \"\(text)\"; each slot needs a device of its own")
        }
        return devices
    }
}
