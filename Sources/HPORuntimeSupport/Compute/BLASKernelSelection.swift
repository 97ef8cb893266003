import Foundation
import Glibc
import HPOMath

/// Makes every hpo process run the OpenBLAS kernels its CPU supports (docs/blas-kernels.md).
///
/// OpenBLAS reads `OPENBLAS_CORETYPE` once, when the process loads it. So the first thing `hpo` and `hpo-bench` do is
/// ``adoptBestKernels()``: when ``BLASKernelRule`` recommends a stronger kernel set than the one OpenBLAS detected,
/// and a child process running ``BLASSelfTest`` with that set agrees with the reference, the process re-executes
/// itself once with the variable set. Nothing changes when the user set `OPENBLAS_CORETYPE` (theirs always wins),
/// when `HPO_BLAS_KERNEL=native`, or when the check fails (a warning says which set and why). `HPO_BLAS_KERNEL=<core>`
/// asks for that kernel set instead of the rule's choice (still checked). Verdicts are cached per machine in
/// ``cacheFile``.
public enum BLASKernelSelection {
    /// Set in the re-executed process (the loop guard); its value is the reason, for the log.
    static let chosenVariable = "HPO_BLAS_CHOSEN"
    /// Set for the child that runs the self-test.
    static let selfTestVariable = "HPO_BLAS_SELFTEST"

    /// The kernel set in use and how it came about, e.g. `SkylakeX (chosen by hpo: the CPU has AVX-512 …)`,
    /// `Haswell (OPENBLAS_CORETYPE set by the user)` or `Zen (detected by OpenBLAS)`.
    public static var inUse: String {
        let core = Float32BLAS.coreName
        let environment = ProcessInfo.processInfo.environment
        if let reason = environment[chosenVariable] { return "\(core) (chosen by hpo: \(reason))" }
        if environment["OPENBLAS_CORETYPE"].map({ !$0.isEmpty }) == true { return "\(core) (OPENBLAS_CORETYPE set by the user)" }
        return "\(core) (detected by OpenBLAS)"
    }

    /// What `hpo worker`, `hpo coordinator` and `hpo run` log at start, e.g.
    /// `BLAS kernels: Zen (detected by OpenBLAS); vector kernels: avx2-fma (the widest this CPU runs)`.
    public static var startLine: String {
        "BLAS kernels: \(inUse); vector kernels: \(VectorKernelSelection.inUse)"
    }

    /// Where verdicts are kept: `$XDG_CACHE_HOME/hpo/blas-kernels.tsv`, else `~/.cache/hpo/blas-kernels.tsv`.
    public static var cacheFile: String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.cache")
        return base + "/hpo/blas-kernels.tsv"
    }

    /// Call first in `main`: runs the self-test and exits when this process is the checking child; otherwise applies
    /// `HPO_VECTOR_KERNELS` (``VectorKernelSelection``), then either returns (nothing to change, or not allowed to) or
    /// replaces the process with itself on better kernels.
    public static func adoptBestKernels() {
        let environment = ProcessInfo.processInfo.environment
        if environment[selfTestVariable] == "1" {
            let verdict = BLASSelfTest.run()
            print("\(Float32BLAS.coreName): \(verdict.detail)")
            exit(verdict.passed ? 0 : 1)
        }
        if let warning = VectorKernelSelection.apply(environment: environment) {
            FileHandle.standardError.write(Data((warning + "\n").utf8))
        }
        let request = environment["HPO_BLAS_KERNEL"].flatMap { $0.isEmpty ? nil : $0 }
        guard environment["OPENBLAS_CORETYPE"].map({ $0.isEmpty }) ?? true, request?.lowercased() != "native",
            environment[chosenVariable] == nil,
            let cpuInfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let recommendation = BLASKernelRule.recommendation(
                cpuInfo: cpuInfo, detectedCore: Float32BLAS.coreName, requested: request),
            recommendation.core.lowercased() != Float32BLAS.coreName.lowercased(),
            let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        else { return }
        let key = cacheKey(cpuInfo: cpuInfo, core: recommendation.core)
        let verdict = cachedVerdict(key) ?? {
            let fresh = check(recommendation.core, executable: executable)
            store(fresh, key: key)
            return fresh
        }()
        guard verdict.passed else {
            FileHandle.standardError.write(Data(
                "hpo: warning: not using the OpenBLAS kernels \(recommendation.core) (\(recommendation.reason)): the check failed: \(verdict.detail); staying on \(Float32BLAS.coreName). Set HPO_BLAS_KERNEL=native to skip the check, or remove \(cacheFile) to check again.\n".utf8))
            return
        }
        setenv("OPENBLAS_CORETYPE", recommendation.core, 1)
        setenv(chosenVariable, recommendation.reason, 1)
        var arguments = CommandLine.arguments.map { strdup($0) }
        arguments.append(nil)
        execv(executable, &arguments)
        // execv returned: it failed. Carry on with the detected kernels.
        unsetenv("OPENBLAS_CORETYPE")
        unsetenv(chosenVariable)
    }

    /// Runs the self-test in a child process on `core`; a crash (e.g. SIGILL) or a disagreement is a failure.
    static func check(_ core: String, executable: String) -> BLASSelfTest.Verdict {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = []
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_CORETYPE"] = core
        environment[selfTestVariable] = "1"
        environment["OPENBLAS_NUM_THREADS"] = "1"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return .init(passed: false, detail: "could not start the check: \(error)") }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        process.waitUntilExit()
        if process.terminationReason == .uncaughtSignal {
            return .init(passed: false, detail: "the check was killed by signal \(process.terminationStatus)")
        }
        // OpenBLAS falls back silently to its default core for a name it does not know: that is not the kernel asked for.
        if !text.lowercased().hasPrefix(core.lowercased() + ":") {
            return .init(passed: false, detail: "OpenBLAS did not load \(core) (it reported \(text.prefix(40)))")
        }
        return .init(passed: process.terminationStatus == 0, detail: String(text.drop { $0 != ":" }.dropFirst(2)))
    }

    /// One verdict per CPU model, feature set, OpenBLAS build and candidate kernel.
    static func cacheKey(cpuInfo: String, core: String) -> String {
        let model = cpuInfo.split(separator: "\n").first { $0.hasPrefix("model name") || $0.hasPrefix("CPU part") } ?? ""
        let features = BLASKernelRule.features(cpuInfo).sorted().joined(separator: " ")
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in "\(model)|\(features)|\(Float32BLAS.configuration)|\(Float32BLAS.coreName)|\(core)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16)
    }

    static func cachedVerdict(_ key: String) -> BLASSelfTest.Verdict? {
        guard let text = try? String(contentsOfFile: cacheFile, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t", maxSplits: 2).map(String.init)
            if fields.count == 3, fields[0] == key { return .init(passed: fields[1] == "ok", detail: fields[2]) }
        }
        return nil
    }

    static func store(_ verdict: BLASSelfTest.Verdict, key: String) {
        let directory = (cacheFile as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let line = "\(key)\t\(verdict.passed ? "ok" : "bad")\t\(verdict.detail.replacingOccurrences(of: "\n", with: " "))\n"
        guard let handle = FileHandle(forWritingAtPath: cacheFile) ?? {
            _ = FileManager.default.createFile(atPath: cacheFile, contents: nil)  // failure: the handle below is nil
            return FileHandle(forWritingAtPath: cacheFile)
        }() else { return }
        handle.seekToEndOfFile()
        handle.write(Data(line.utf8))
        try? handle.close()
    }
}
