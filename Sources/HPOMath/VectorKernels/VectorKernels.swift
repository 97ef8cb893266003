internal import CVectorKernels

/// The GP's and the trainer's hot loops in C, built for the package's baseline, for AVX2 + FMA and for AVX-512; each
/// process uses the widest instruction set its CPU runs (docs/blas-kernels.md, *Vector kernels*).
///
/// Swift compiles the whole package for the baseline x86-64 (2-wide SSE2) and has no per-function target, so loops
/// that dominate a proposal or an epoch live in the `CVectorKernels` C target, where clang builds more copies with
/// `target(...)` attributes and a CPU check picks one per process.
public enum VectorKernels {
    /// An instruction set the kernels are built for.
    public enum InstructionSet: String, Sendable, CaseIterable {
        /// The build's baseline (SSE2 on x86-64, NEON on aarch64).
        case generic
        /// AVX2 with FMA (x86-64 CPUs since Haswell and Zen).
        case avx2FMA = "avx2-fma"
        /// AVX-512 (F, CD, BW, DQ, VL) beside AVX2 + FMA, in 512-bit vectors (Skylake-SP and later Xeons, Zen 4 and
        /// later); the same bits as ``avx2FMA`` in every kernel.
        case avx512

        var c: HPOVectorISA {
            switch self {
            case .generic: HPOVectorISAGeneric
            case .avx2FMA: HPOVectorISAAVX2FMA
            case .avx512: HPOVectorISAAVX512
            }
        }

        init(_ c: HPOVectorISA) {
            switch c {
            case HPOVectorISAAVX512: self = .avx512
            case HPOVectorISAAVX2FMA: self = .avx2FMA
            default: self = .generic
            }
        }

        /// Whether this CPU runs the set: every set up to its widest (the cases are in order of width).
        public var isSupported: Bool {
            Self.allCases.firstIndex(of: self)! <= Self.allCases.firstIndex(of: Self.widestSupported)!
        }

        /// The widest set this CPU runs.
        public static var widestSupported: InstructionSet { InstructionSet(hpo_vector_isa_supported()) }
    }

    /// The set the kernels use now: the widest supported unless ``select(_:)`` chose another.
    public static var selected: InstructionSet { InstructionSet(hpo_vector_isa_selected()) }

    /// Makes every later kernel call of this process use `instructionSet`.
    ///
    /// - Throws: `MathError.invalidArgument` when this CPU does not run it.
    public static func select(_ instructionSet: InstructionSet) throws(MathError) {
        guard hpo_vector_isa_select(instructionSet.c) == 0 else {
            throw MathError(
                .invalidArgument,
                "vector kernels: this CPU does not run \(instructionSet.rawValue) (it runs \(InstructionSet.widestSupported.rawValue)); "
                    + "select generic or \(InstructionSet.widestSupported.rawValue)")
        }
    }

    /// The Matérn-5/2 correlation of squared scaled distances, in place, in one vectorized pass:
    /// r² → signal·m(r) with m(r) = (1 + √5·r + 5/3·r²)·e^(−√5·r); with `derivativeFactors`, also
    /// signal·g(r) = signal·5/3·(1 + √5·r)·e^(−√5·r) (= −2·signal·dm/d(r²)).
    ///
    /// The exponential is within 1 ulp of libm's (a Cody–Waite reduction and a degree-13 polynomial; libm itself
    /// below e^−708 and for NaN). Negative r² (rounding noise) is read as 0; NaN gives NaN.
    ///
    /// - Parameters:
    ///   - values: r² on entry, signal·m(r) on return.
    ///   - scratch: at least `values.count` doubles; signal·g(r) on return when `derivativeFactors` is true, else
    ///     overwritten.
    ///   - signal: the factor σ² of every value.
    ///   - derivativeFactors: whether `scratch` returns signal·g(r).
    ///   - instructionSet: the set to use (tests compare them); nil: ``selected``. Must be supported.
    /// - Complexity: O(count); about 2 ns per value with AVX2 + FMA, 7 ns with SSE2 (one Zen 3 core).
    public static func matern52(
        _ values: UnsafeMutableBufferPointer<Double>, scratch: UnsafeMutableBufferPointer<Double>, signal: Double,
        derivativeFactors: Bool, instructionSet: InstructionSet? = nil
    ) {
        precondition(scratch.count >= values.count, "matern52: scratch holds \(scratch.count) < \(values.count) values")
        guard let base = values.baseAddress, let factors = scratch.baseAddress else { return }
        hpo_matern_transform_isa(checkedSet(instructionSet), base, factors, values.count, signal, derivativeFactors ? 1 : 0)
    }

    /// The C value of `instructionSet` after checking that this CPU runs it, or of ``selected`` (always supported,
    /// so not asked again on every call of a hot loop) when nil.
    static func checkedSet(_ instructionSet: InstructionSet?) -> HPOVectorISA {
        guard let instructionSet else { return hpo_vector_isa_selected() }
        precondition(instructionSet.isSupported, "vector kernels: this CPU does not run \(instructionSet.rawValue)")
        return instructionSet.c
    }
}
