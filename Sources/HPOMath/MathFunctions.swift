#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The C math library (libm) functions the optimizer needs, re-exported so that pure targets (HPOOptimizer,
/// HPOTrainer) get `exp`, `log`, `erfc`, … without importing the platform's libc themselves.
public enum MathFunctions {
    /// `exp(x)` from libm.
    @inlinable public static func exp(_ x: Double) -> Double { libm_exp(x) }
    /// `expm1(x)` from libm.
    @inlinable public static func expm1(_ x: Double) -> Double { libm_expm1(x) }
    /// `log(x)` from libm.
    @inlinable public static func log(_ x: Double) -> Double { libm_log(x) }
    /// `log1p(x)` from libm.
    @inlinable public static func log1p(_ x: Double) -> Double { libm_log1p(x) }
    /// `cos(x)` from libm.
    @inlinable public static func cos(_ x: Double) -> Double { libm_cos(x) }
    /// `sin(x)` from libm.
    @inlinable public static func sin(_ x: Double) -> Double { libm_sin(x) }
    /// `erfc(x)` from libm.
    @inlinable public static func erfc(_ x: Double) -> Double { libm_erfc(x) }
    /// `erf(x)` from libm.
    @inlinable public static func erf(_ x: Double) -> Double { libm_erf(x) }
    /// `lgamma(x)` from libm.
    @inlinable public static func lgamma(_ x: Double) -> Double { libm_lgamma(x) }
    /// `tanh(x)` from libm.
    @inlinable public static func tanh(_ x: Double) -> Double { libm_tanh(x) }
    /// `pow(x, y)` from libm.
    @inlinable public static func pow(_ x: Double, _ y: Double) -> Double { libm_pow(x, y) }
}

// Differently named forwarders so the static members above can reuse the C names.
@usableFromInline func libm_exp(_ x: Double) -> Double { exp(x) }
@usableFromInline func libm_expm1(_ x: Double) -> Double { expm1(x) }
@usableFromInline func libm_log(_ x: Double) -> Double { log(x) }
@usableFromInline func libm_log1p(_ x: Double) -> Double { log1p(x) }
@usableFromInline func libm_cos(_ x: Double) -> Double { cos(x) }
@usableFromInline func libm_sin(_ x: Double) -> Double { sin(x) }
@usableFromInline func libm_erfc(_ x: Double) -> Double { erfc(x) }
@usableFromInline func libm_erf(_ x: Double) -> Double { erf(x) }
@usableFromInline func libm_lgamma(_ x: Double) -> Double { lgamma(x) }
@usableFromInline func libm_tanh(_ x: Double) -> Double { tanh(x) }
@usableFromInline func libm_pow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
