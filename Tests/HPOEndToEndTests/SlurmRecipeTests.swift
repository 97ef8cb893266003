import Foundation
import HPOTestSupport
import Glibc
import Testing

/// `deploy/slurm/hpo-study.sbatch` run for real, twice at once on this node, with stand-ins for `srun` and
/// `scontrol` (this machine has no Slurm): each job's workers find their own coordinator through the job directory
/// (keys, endpoint file, `--study`), never the other job's, and both studies complete.
@Suite(.serialized, .scratchDirectory("e2e")) struct SlurmRecipeTests {
    static let recipe = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("deploy/slurm/hpo-study.sbatch").path

    /// `srun [--opt…] cmd…`: runs `--ntasks=N` copies of the command here and waits for them.
    static let fakeSrun = """
        #!/usr/bin/env bash
        n=1
        while [[ $1 == --* ]]; do case $1 in --ntasks=*) n=${1#--ntasks=};; esac; shift; done
        pids=()
        for ((i = 0; i < n; i++)); do "$@" & pids+=($!); done
        status=0
        for pid in "${pids[@]}"; do wait "$pid" || status=$?; done
        exit $status
        """

    /// `scontrol show hostnames …`: this node.
    static let fakeScontrol = """
        #!/usr/bin/env bash
        hostname
        """

    @Test func twoStudiesOnOneNodeKeepTheirOwnWorkers() throws {
        let directory = try ScratchDirectory.current()
        let bin = directory.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        for (name, text) in [("srun", Self.fakeSrun), ("scontrol", Self.fakeScontrol)] {
            let path = bin.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, 0o755)
        }
        let hpo = try EndToEnd.hpoExecutable().path
        var jobs: [(name: String, process: Process, exited: DispatchSemaphore, output: URL, error: URL)] = []
        for (index, name) in ["alpha", "beta"].enumerated() {
            let job = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: job, withIntermediateDirectories: true)
            let study = try BraninStudy.write(in: job, name: name, trials: 6, duration: 0.02)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [Self.recipe, study]
            var environment = ProcessInfo.processInfo.environment
            environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
            environment["HPO_BIN"] = hpo
            environment["SLURM_JOB_ID"] = "\(4200 + index)"
            environment["SLURM_NTASKS"] = "2"
            environment["SLURM_JOB_NODELIST"] = "this-node"
            environment["SLURM_SUBMIT_DIR"] = job.path
            process.environment = environment
            let output = job.appendingPathComponent("job.out")
            let error = job.appendingPathComponent("job.err")
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            _ = FileManager.default.createFile(atPath: error.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: output)
            process.standardError = try FileHandle(forWritingTo: error)
            let exited = DispatchSemaphore(value: 0)
            process.terminationHandler = { _ in exited.signal() }
            try process.run()
            jobs.append((name, process, exited, output, error))
        }
        for job in jobs {
            if job.exited.wait(timeout: .now() + 120) == .timedOut { job.process.terminate() }
            job.process.waitUntilExit()
            let output = try String(contentsOf: job.output, encoding: .utf8)
            let errors = try String(contentsOf: job.error, encoding: .utf8)
            #expect(job.process.terminationStatus == 0, "\(job.name): \(errors)")
            #expect(output.contains("study \(job.name) completed"), "\(job.name): \(output)")
            let other = job.name == "alpha" ? "beta" : "alpha"
            // Every worker of this job was told to stop by this job's coordinator, none by the other's.
            #expect(errors.contains("shut down: study \(job.name) completed"), "\(job.name): \(errors)")
            #expect(!errors.contains("study \(other)"), "\(job.name)'s workers met the other study: \(errors)")
            let jobDirectory = job.output.deletingLastPathComponent().appendingPathComponent("hpo-job-\(job.name == "alpha" ? 4200 : 4201)")
            #expect(FileManager.default.fileExists(atPath: jobDirectory.appendingPathComponent("keys/coordinator.key").path))
        }
    }
}
