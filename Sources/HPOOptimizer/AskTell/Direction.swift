/// Whether larger or smaller objective values are better.
public enum Direction: String, Sendable, Codable, CaseIterable {
    case maximize, minimize

    /// The value with the sign that makes smaller better (the optimizers minimize internally).
    func score(_ value: Double) -> Double {
        self == .minimize ? value : -value
    }

    /// Whether `candidate` is strictly better than `incumbent`.
    public func isBetter(_ candidate: Double, than incumbent: Double) -> Bool {
        self == .minimize ? candidate < incumbent : candidate > incumbent
    }
}
