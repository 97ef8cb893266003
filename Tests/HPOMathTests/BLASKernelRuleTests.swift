import Foundation
import HPOMath
import Testing

/// The kernel rule on `/proc/cpuinfo` fixtures of each case (issue #14), and the self-test on this machine.
@Suite struct BLASKernelRuleTests {
    static func cpuInfo(_ name: String) throws -> String {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/cpuinfo")
        return try String(contentsOf: folder.appendingPathComponent(name + ".txt"), encoding: .utf8)
    }

    @Test(arguments: [
        // An Emerald Rapids Xeon that OpenBLAS 0.3.21 does not know: it falls back to SSE3 kernels.
        ("emerald-rapids", "Prescott", "SkylakeX"),
        // AMD Zen 4: AVX-512 runs, but older OpenBLAS gives it the AVX2 Zen kernels.
        ("zen4", "Zen", "SkylakeX"),
        ("zen4", "Haswell", "SkylakeX"),
        // An AVX2 Xeon OpenBLAS did not recognize.
        ("avx2-only", "Prescott", "Haswell"),
        ("avx2-only", "Sandybridge", "Haswell"),
        // aarch64 that fell back to the generic ARMv8 core.
        ("neoverse-n1", "ARMV8", "NEOVERSEN1"),
        ("neoverse-v1", "armv8", "NEOVERSEV1"),
    ])
    func aWeakerDetectedCoreIsUpgradedByFeatures(file: String, detected: String, expected: String) throws {
        let recommendation = try #require(BLASKernelRule.recommendation(cpuInfo: try Self.cpuInfo(file), detectedCore: detected))
        #expect(recommendation.core == expected)
        #expect(recommendation.reason.contains(detected), "the reason names what OpenBLAS detected: \(recommendation.reason)")
    }

    @Test(arguments: [
        ("emerald-rapids", "SkylakeX"), ("zen4", "Cooperlake"), ("avx2-only", "Haswell"), ("avx2-only", "Zen"),
        ("westmere", "Nehalem"), ("neoverse-n1", "NEOVERSEN1"), ("cortex-a53", "ARMV8"),
    ])
    func nothingChangesWhenTheDetectedCoreIsAlreadyTheBestKnown(file: String, detected: String) throws {
        #expect(BLASKernelRule.recommendation(cpuInfo: try Self.cpuInfo(file), detectedCore: detected) == nil)
    }

    @Test func theSelfTestPassesOnTheKernelsThisProcessLoaded() {
        let verdict = BLASSelfTest.run()
        #expect(verdict.passed, "\(Float32BLAS.coreName): \(verdict.detail)")
    }
}
