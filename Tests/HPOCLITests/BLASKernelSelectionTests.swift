import Foundation
import HPOTestSupport
import Testing

/// Every hpo process runs the kernels hpo chose, checked first (issue #14): tested through `hpo worker`'s start-up
/// log, with `HPO_BLAS_KERNEL` standing in for what the CPU rule would choose on another machine.
@Suite struct BLASKernelSelectionTests {
    /// Starts `hpo worker` against a port nobody serves (it gives up after 1 s); returns its standard error.
    static func workerLog(_ environment: [String: String]) throws -> String {
        try HPOProcess.run(
            try HPOBinary.url("hpo"),
            ["worker", "--connect", "tcp://127.0.0.1:9", "--coordinator-timeout", "1s", "--heartbeat", "200ms"],
            environment: environment, unsetting: ["OPENBLAS_CORETYPE", "HPO_BLAS_CHOSEN"]
        ).stderr
    }

    static func cacheDirectory() -> String {
        NSTemporaryDirectory() + "hpo-blas-cache-" + UUID().uuidString
    }

    @Test func aCheckedKernelIsAdoptedByReExecutionAndTheVerdictIsCached() throws {
        let cache = Self.cacheDirectory()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let log = try Self.workerLog(["HPO_BLAS_KERNEL": "Haswell", "XDG_CACHE_HOME": cache])
        #expect(log.contains("BLAS kernels: Haswell (chosen by hpo: HPO_BLAS_KERNEL=Haswell)"), "log: \(log)")
        let verdicts = try String(contentsOfFile: cache + "/hpo/blas-kernels.tsv", encoding: .utf8)
        #expect(verdicts.contains("\tok\tsgemm, dgemm, dpotrf, dtrsm agree"), "cache: \(verdicts)")
        // The second start reads the cached verdict (no second line).
        let again = try Self.workerLog(["HPO_BLAS_KERNEL": "Haswell", "XDG_CACHE_HOME": cache])
        #expect(again.contains("BLAS kernels: Haswell (chosen by hpo"))
        #expect(try String(contentsOfFile: cache + "/hpo/blas-kernels.tsv", encoding: .utf8).split(separator: "\n").count == 1)
    }

    @Test func aKernelThatFailsTheCheckIsNeverUsedAndTheLogSaysWhy() throws {
        let cache = Self.cacheDirectory()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let log = try Self.workerLog(["HPO_BLAS_KERNEL": "NoSuchCore", "XDG_CACHE_HOME": cache])
        #expect(log.contains("not using the OpenBLAS kernels NoSuchCore"), "log: \(log)")
        #expect(log.contains("BLAS kernels:") && !log.contains("BLAS kernels: NoSuchCore"), "log: \(log)")
    }

    @Test func theUsersOwnCoreTypeAlwaysWinsAndNativeTurnsTheChoiceOff() throws {
        let cache = Self.cacheDirectory()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let user = try Self.workerLog(["OPENBLAS_CORETYPE": "Haswell", "HPO_BLAS_KERNEL": "SkylakeX", "XDG_CACHE_HOME": cache])
        #expect(user.contains("BLAS kernels: Haswell (OPENBLAS_CORETYPE set by the user)"), "log: \(user)")
        let native = try Self.workerLog(["HPO_BLAS_KERNEL": "native", "XDG_CACHE_HOME": cache])
        #expect(native.contains("(detected by OpenBLAS)"), "log: \(native)")
        #expect(!FileManager.default.fileExists(atPath: cache + "/hpo/blas-kernels.tsv"), "nothing was checked")
    }
}

/// `HPO_VECTOR_KERNELS` picks the build of the GP's and trainer's hot loops; the start-up log says which.
@Suite struct VectorKernelSelectionTests {
    @Test func theWidestSetByDefaultAndGenericWhenAsked() throws {
        let widest = try BLASKernelSelectionTests.workerLog([:])
        #expect(widest.contains("vector kernels: ") && widest.contains("(the widest this CPU runs)"), "log: \(widest)")
        let generic = try BLASKernelSelectionTests.workerLog(["HPO_VECTOR_KERNELS": "generic"])
        #expect(generic.contains("vector kernels: generic (HPO_VECTOR_KERNELS)"), "log: \(generic)")
    }

    @Test func aValueThatIsNoSetIsNamedInAWarning() throws {
        let log = try BLASKernelSelectionTests.workerLog(["HPO_VECTOR_KERNELS": "sse9"])
        #expect(log.contains("HPO_VECTOR_KERNELS=sse9 is not one of generic, avx2-fma, avx512"), "log: \(log)")
        #expect(log.contains("vector kernels: "), "log: \(log)")
    }
}
