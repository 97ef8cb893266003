import HPOMath
import Testing

/// A core the user requested (`HPO_BLAS_KERNEL`) through the rule: recommended whatever the CPU; none requested
/// leaves the choice to the CPU's flags.
@Suite struct BLASKernelRuleRequestTests {
    static let sse3Only = "processor\t: 0\nflags\t\t: fpu sse sse2 sse3\n"

    @Test func aRequestedCoreIsRecommendedEvenWhereTheCPUWouldKeepTheDetectedOne() {
        let recommendation = BLASKernelRule.recommendation(cpuInfo: Self.sse3Only, detectedCore: "Prescott", requested: "Haswell")
        #expect(recommendation?.core == "Haswell")
        #expect(recommendation?.reason == "HPO_BLAS_KERNEL=Haswell")
        #expect(BLASKernelRule.recommendation(cpuInfo: Self.sse3Only, detectedCore: "Prescott") == nil)
    }
}
