import Foundation
import HPOObjectives
import HPOWorkerRuntime
import HPOTestSupport
import Testing

/// `--slots` and `--gpus` as a user runs them: real `hpo run`, real worker processes, a command objective
/// (Scripts/slot-probe.sh) that records `HPO_WORKER_INDEX`, `HPO_SLOT`, `CUDA_VISIBLE_DEVICES` and its start and end
/// times, and completes only once every trial of the study has started (so the trials provably ran at once).
/// The devices are a fake list: no GPU is needed.
@Suite(.serialized, .scratchDirectory("slots")) struct SlotEndToEndTests {
    static let probe = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Scripts/slot-probe.sh").path

    /// One record the probe wrote.
    struct Record {
        var worker: String
        var slot: String
        var device: String
        var start: Double
        var end: Double
    }

    /// A study of `trials` probe trials that each wait until `trials` have started; returns its path.
    private static func study(in directory: URL, trials: Int) throws -> String {
        let records = directory.appendingPathComponent("records")
        try FileManager.default.createDirectory(at: records, withIntermediateDirectories: true)
        let yaml = """
            name: slots
            direction: maximize
            metric: accuracy
            space:
              x: {type: float, low: 0, high: 1}
            objective:
              kind: command
              argv: [bash, \(probe), \(records.path), "\(trials)"]
              timeout: 60s
            optimizer: {kind: random, seed: 3}
            budget: {trials: \(trials)}
            heartbeat: {interval: 200ms, liveness: 5}
            """
        let path = directory.appendingPathComponent("slots.yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private static func records(in directory: URL) throws -> [Record] {
        let folder = directory.appendingPathComponent("records")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("trial-") }.map { name in
            let fields = try String(contentsOfFile: folder.appendingPathComponent(name).path, encoding: .utf8)
                .split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            return Record(
                worker: fields[0], slot: fields[1], device: fields[2], start: Double(fields[3]) ?? .nan,
                end: Double(fields[4]) ?? .nan)
        }
    }

    @Test func twoLocalWorkersOfTwoSlotsRunFourTrialsAtOnceEachOnItsOwnDevice() throws {
        let directory = try ScratchDirectory.current()
        let study = try Self.study(in: directory, trials: 4)
        let run = try HPOProcess(["run", study, "--workers", "2", "--slots", "2", "--gpus", "7,5,GPU-aa,GPU-bb", "--json"])
        #expect(run.wait(timeout: 120) == 0, "stderr: \(run.standardError)")
        let report = try EndToEnd.report(run.standardOutput)
        #expect(report.completed == 4)
        let records = try Self.records(in: directory)
        #expect(records.count == 4)
        // Worker i has devices 2i and 2i+1 of the list, one per slot.
        let placement = Set(records.map { "\($0.worker)/\($0.slot)/\($0.device)" })
        #expect(placement == ["0/0/7", "0/1/5", "1/0/GPU-aa", "1/1/GPU-bb"])
        // All four ran at once: every one started before any ended.
        let lastStart = try #require(records.map(\.start).max())
        let firstEnd = try #require(records.map(\.end).min())
        #expect(lastStart < firstEnd, "starts \(records.map(\.start)), ends \(records.map(\.end))")
    }

    @Test func oneWorkerWithTwoSlotsAndNoGPUsRunsTwoTrialsAtOnce() throws {
        let directory = try ScratchDirectory.current()
        let study = try Self.study(in: directory, trials: 2)
        let run = try HPOProcess(["run", study, "--workers", "1", "--slots", "2", "--json"])
        #expect(run.wait(timeout: 120) == 0, "stderr: \(run.standardError)")
        let records = try Self.records(in: directory)
        #expect(Set(records.map { "\($0.worker)/\($0.slot)/\($0.device)" }) == ["0/0/unset", "0/1/unset"])
        let lastStart = try #require(records.map(\.start).max())
        let firstEnd = try #require(records.map(\.end).min())
        #expect(lastStart < firstEnd)
    }

    @Test func fewerDevicesThanSlotsIsAUsageErrorThatSaysWhatToDo() throws {
        let directory = try ScratchDirectory.current()
        let study = try Self.study(in: directory, trials: 2)
        let run = try HPOProcess(["run", study, "--workers", "2", "--slots", "2", "--gpus", "0,1,2"])
        #expect(run.wait(timeout: 30) == 64)
        #expect(run.standardError.contains("need 4"), "stderr: \(run.standardError)")
        #expect(run.standardError.contains("lower --workers or --slots"))
        let worker = try HPOProcess(["worker", "--connect", "tcp://127.0.0.1:9", "--slots", "3", "--gpus", "0,1"])
        #expect(worker.wait(timeout: 30) == 64)
        #expect(worker.standardError.contains("lower --slots to 2, or list 3 devices"), "stderr: \(worker.standardError)")
    }

    @Test func autoReadsCUDAVisibleDevicesElseNvidiaSMI() throws {
        #expect(try GPUDevices.parse("auto", environment: ["CUDA_VISIBLE_DEVICES": "2,3"], listGPUs: { nil }) == ["2", "3"])
        let listing = """
            GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-1b2c)
              MIG 1g.5gb      Device  0: (UUID: MIG-9f)
            GPU 1: NVIDIA A100-SXM4-40GB (UUID: GPU-3d4e)
            """
        #expect(try GPUDevices.parse("auto", environment: [:], listGPUs: { listing }) == ["0", "1"])
        #expect(throws: WorkerError.self) { try GPUDevices.parse("auto", environment: [:], listGPUs: { nil }) }
        #expect(throws: WorkerError.self) { try GPUDevices.parse("0,,1", environment: [:], listGPUs: { nil }) }
        #expect(throws: WorkerError.self) { try GPUDevices.parse("0,1,0", environment: [:], listGPUs: { nil }) }
        #expect(try GPUDevices.assign(["0", "1", "2"], slots: nil) == (3, ["0", "1", "2"]))
        #expect(try GPUDevices.split(["a", "b", "c", "d"], workers: 2, slots: 2) == [["a", "b"], ["c", "d"]])
    }

    @Test func autoFindsTheDevicesOfAFakeNvidiaSMIOnPath() throws {
        let directory = try ScratchDirectory.current()
        let fake = directory.appendingPathComponent("nvidia-smi")
        try """
            #!/bin/sh
            echo "GPU 0: Fake GPU (UUID: GPU-0)"
            echo "GPU 1: Fake GPU (UUID: GPU-1)"
            """.write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        // Three slots on two fake GPUs: refused, naming the two devices nvidia-smi listed.
        let path = directory.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        try #require(ProcessInfo.processInfo.environment["CUDA_VISIBLE_DEVICES"] == nil, "the test needs CUDA_VISIBLE_DEVICES unset")
        let worker = try HPOProcess(
            ["worker", "--connect", "tcp://127.0.0.1:9", "--slots", "3", "--gpus", "auto"], environment: ["PATH": path])
        #expect(worker.wait(timeout: 30) == 64)
        #expect(worker.standardError.contains("lists 2 device(s) (0,1)"), "stderr: \(worker.standardError)")
    }
}
