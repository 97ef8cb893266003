extension VectorKernels {
    /// What ``smallProduct(_:_:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:epilogue:instructionSet:)`` does to each element
    /// `C[r][j]` after its sum, so that a layer's bias, ReLU, ReLU derivative and bias gradient need no pass of their
    /// own (docs/blas-kernels.md, *Fused epilogues*). Every field is optional; they apply in this order: `+ bias[j]`;
    /// zeroed where `gate[r][j] ≤ 0` (NaN keeps the value); stored; `relu[r][j] = max(C, 0)` (NaN gives 0);
    /// `columnSums[j] = Σ_r C[r][j]`, rows in order. The combinations are those of a ReLU network's layers: any, except
    /// `relu` with `gate` (the trainer's loops could not give the same values for it) or without `bias`.
    public struct ProductEpilogue {
        /// `n` floats added to every row of `C`.
        public var bias: UnsafePointer<Float>?
        /// `m × n` with `C`'s leading dimension: `max(C, 0)`; needs `bias` and no `gate`; must not overlap `C`.
        public var relu: UnsafeMutablePointer<Float>?
        /// `m × n` with `C`'s leading dimension: where it is `≤ 0`, `C` becomes 0.
        public var gate: UnsafePointer<Float>?
        /// `n` floats, overwritten with `C`'s column sums (after the gate).
        public var columnSums: UnsafeMutablePointer<Float>?

        /// An epilogue of the given parts (nil: skipped).
        public init(
            bias: UnsafePointer<Float>? = nil, relu: UnsafeMutablePointer<Float>? = nil, gate: UnsafePointer<Float>? = nil,
            columnSums: UnsafeMutablePointer<Float>? = nil
        ) {
            self.bias = bias
            self.relu = relu
            self.gate = gate
            self.columnSums = columnSums
        }

        /// Traps unless this is one of the supported combinations on a contiguous `C` (`ldc == width`).
        func check(ldc: Int, width: Int) {
            precondition(
                (relu == nil || (bias != nil && gate == nil)) && ldc == width,
                "ProductEpilogue: relu needs bias and no gate, and C must be contiguous (ldc \(ldc) == n \(width))")
        }
    }
}
