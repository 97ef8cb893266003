/// The per-layer scratch memory of an `MLPNetwork`, sized for a number of rows and grown on demand.
///
/// Holds, for layer `l` of `L` (hidden layers are `0..<L-1`): pre-activations `z[l]` (`rows × fanOut`),
/// hidden outputs `h[l]`, dropout masks and masked outputs (only when dropout is on), two
/// back-propagation buffers of `rows × widest layer`.
final class ActivationBuffers {
    private let layerSizes: [Int]
    private let usesDropout: Bool
    private(set) var capacity = 0
    private(set) var preactivations: [UnsafeMutablePointer<Float>] = []
    private(set) var outputs: [UnsafeMutablePointer<Float>] = []
    private(set) var masks: [UnsafeMutablePointer<Float>] = []
    private(set) var dropped: [UnsafeMutablePointer<Float>] = []
    private(set) var deltaA = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private(set) var deltaB = UnsafeMutablePointer<Float>.allocate(capacity: 1)

    init(layerSizes: [Int], dropout: Bool) {
        self.layerSizes = layerSizes
        usesDropout = dropout
    }

    deinit { release() }

    /// Makes every buffer hold at least `rows` rows (reallocating only when it grows).
    func reserve(rows: Int) {
        guard rows > capacity else { return }
        release()
        capacity = rows
        func make(_ count: Int, _ value: Float = 0) -> UnsafeMutablePointer<Float> {
            let pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
            pointer.initialize(repeating: value, count: max(count, 1))
            return pointer
        }
        let layers = layerSizes.count - 1
        preactivations = (0..<layers).map { make(rows * layerSizes[$0 + 1]) }
        outputs = (0..<(layers - 1)).map { make(rows * layerSizes[$0 + 1]) }
        if usesDropout {
            masks = (0..<(layers - 1)).map { make(rows * layerSizes[$0 + 1]) }
            dropped = (0..<(layers - 1)).map { make(rows * layerSizes[$0 + 1]) }
        }
        let widest = layerSizes.max() ?? 1
        deltaA = make(rows * widest)
        deltaB = make(rows * widest)
    }

    private func release() {
        for pointer in preactivations + outputs + masks + dropped { pointer.deallocate() }
        preactivations = []
        outputs = []
        masks = []
        dropped = []
        deltaA.deallocate()
        deltaB.deallocate()
    }
}
