/// Chooses OpenBLAS kernels from what the CPU can do rather than from its model number.
///
/// OpenBLAS picks its kernels by CPU model. A model newer than the library (an Emerald Rapids Xeon under Debian 12's
/// 0.3.21) falls back to a generic core such as Prescott (SSE3), and AMD Zen 4 gets the AVX2 "Zen" kernels although it
/// runs the AVX-512 ones. This rule reads the feature flags instead:
/// - x86-64 with AVX-512 F, CD, BW, DQ and VL → `SkylakeX`, unless an AVX-512 core was detected;
/// - x86-64 with AVX2 and FMA → `Haswell`, unless an AVX2 or AVX-512 core was detected;
/// - aarch64 where OpenBLAS fell back to the generic `ARMV8` core → `NEOVERSEV1` with SVE, `NEOVERSEN1` with the
///   ARMv8.2 dot-product and atomics features;
/// - otherwise nothing changes.
/// A recommendation is only a candidate: the runtime checks it numerically before using it (``BLASSelfTest``).
public enum BLASKernelRule {
    /// A kernel set to use instead of the detected one, and why.
    public struct Recommendation: Sendable, Hashable {
        /// The `OPENBLAS_CORETYPE` value, e.g. `SkylakeX`.
        public var core: String
        /// Why, for the log: e.g. `the CPU has AVX-512 (F, CD, BW, DQ, VL) but OpenBLAS detected Prescott`.
        public var reason: String
    }

    /// Cores whose kernels use AVX-512.
    static let avx512Cores: Set<String> = ["skylakex", "cooperlake", "sapphirerapids"]
    /// Cores whose kernels use AVX2 (or better).
    static let avx2Cores: Set<String> = avx512Cores.union(["haswell", "zen", "excavator"])

    /// The stronger kernel set for this CPU (or the one requested), or nil when the detected one is already the best
    /// the rule knows.
    ///
    /// - Parameters:
    ///   - cpuInfo: the text of `/proc/cpuinfo`.
    ///   - detectedCore: the core OpenBLAS chose (`openblas_get_corename()`), any case.
    ///   - requested: a core the user asked for (`HPO_BLAS_KERNEL`): recommended whatever the CPU (the runtime still
    ///     checks it); nil: the rule decides.
    public static func recommendation(cpuInfo: String, detectedCore: String, requested: String? = nil) -> Recommendation? {
        if let requested { return Recommendation(core: requested, reason: "HPO_BLAS_KERNEL=\(requested)") }
        let detected = detectedCore.lowercased()
        let features = Self.features(cpuInfo)
        if features.contains("asimd") || cpuInfo.contains("CPU architecture: 8") {
            guard detected == "armv8" else { return nil }
            if features.contains("sve") {
                return Recommendation(core: "NEOVERSEV1", reason: "the CPU has SVE but OpenBLAS fell back to the generic core \(detectedCore)")
            }
            if features.isSuperset(of: ["asimddp", "atomics"]) {
                return Recommendation(
                    core: "NEOVERSEN1", reason: "the CPU has the ARMv8.2 dot-product and atomics features but OpenBLAS fell back to the generic core \(detectedCore)")
            }
            return nil
        }
        if features.isSuperset(of: ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]) {
            guard !avx512Cores.contains(detected) else { return nil }
            return Recommendation(core: "SkylakeX", reason: "the CPU has AVX-512 (F, CD, BW, DQ, VL) but OpenBLAS detected \(detectedCore)")
        }
        if features.isSuperset(of: ["avx2", "fma"]) {
            guard !avx2Cores.contains(detected) else { return nil }
            return Recommendation(core: "Haswell", reason: "the CPU has AVX2 and FMA but OpenBLAS detected \(detectedCore)")
        }
        return nil
    }

    /// The feature flags of the first CPU (`flags` on x86-64, `Features` on aarch64).
    public static func features(_ cpuInfo: String) -> Set<String> {
        for line in cpuInfo.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].filter { $0 != " " && $0 != "\t" }
            if key == "flags" || key == "Features" {
                return Set(parts[1].split(separator: " ").map(String.init))
            }
        }
        return []
    }
}
