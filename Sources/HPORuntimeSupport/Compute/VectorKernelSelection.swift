import Foundation
import HPOMath

/// Applies the user's `HPO_VECTOR_KERNELS` to this process's ``VectorKernels`` (docs/blas-kernels.md, *Vector
/// kernels*): `generic` keeps the baseline build of the hot loops, `avx2-fma` the AVX2 + FMA build (also on an
/// AVX-512 CPU), `avx512` the AVX-512 build; unset, the widest the CPU runs.
public enum VectorKernelSelection {
    /// The environment variable a user sets.
    public static let variable = "HPO_VECTOR_KERNELS"

    /// Selects what `environment[variable]` names; a value that is not a set, or that this CPU cannot run, leaves the
    /// widest supported set and returns a warning that names the value and the choices.
    @discardableResult
    public static func apply(environment: [String: String]) -> String? {
        guard let value = environment[variable], !value.isEmpty else { return nil }
        guard let set = VectorKernels.InstructionSet(rawValue: value.lowercased()) else {
            let names = VectorKernels.InstructionSet.allCases.map(\.rawValue).joined(separator: ", ")
            return "hpo: warning: \(variable)=\(value) is not one of \(names); using \(VectorKernels.selected.rawValue)"
        }
        do {
            try VectorKernels.select(set)
            return nil
        } catch {
            return "hpo: warning: \(variable)=\(value): \(error.message); using \(VectorKernels.selected.rawValue)"
        }
    }

    /// The set in use and why, e.g. `avx2-fma (the widest this CPU runs)` or `generic (HPO_VECTOR_KERNELS)`.
    public static var inUse: String {
        let set = VectorKernels.selected
        return set == VectorKernels.InstructionSet.widestSupported && ProcessInfo.processInfo.environment[variable] == nil
            ? "\(set.rawValue) (the widest this CPU runs)" : "\(set.rawValue) (\(variable))"
    }
}
