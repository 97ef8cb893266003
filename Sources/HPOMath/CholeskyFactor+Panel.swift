extension CholeskyFactor {
    /// L⁻¹·B for every right-hand side of `panel` (n rows), in place: one pass over L serves all of them, where a
    /// vector solve per right-hand side streams the factor once each. Agrees with the vector solves up to rounding.
    public func solveLower(panel: inout RightHandSidePanel) {
        solve(&panel, transposed: false)
    }

    /// L⁻ᵀ·B for every right-hand side of `panel`, in place (see ``solveLower(panel:)``).
    public func solveUpper(panel: inout RightHandSidePanel) {
        solve(&panel, transposed: true)
    }

    private func solve(_ panel: inout RightHandSidePanel, transposed: Bool) {
        precondition(panel.rows == dimension, "a panel solve needs \(dimension) rows, got \(panel.rows)")
        lower.elements.withUnsafeBufferPointer { factor in
            VectorKernels.solveTriangular(lower: factor, panel: &panel, transposed: transposed)
        }
    }
}
