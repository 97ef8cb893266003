/// What values one hyperparameter may take.
///
/// Checked by ``SearchSpace/init(_:)``: bounds finite with `low < high`, `low > 0` on log scales, `step > 0`
/// dividing `high - low`, no step on a log scale (except an int's step of 1, which changes nothing), at least one
/// distinct choice.
public enum ParameterKind: Sendable, Hashable {
    /// A real number in `[low, high]`; sampled uniformly in `log` space when `log` is true;
    /// restricted to `low + k·step` when `step` is set.
    case float(low: Double, high: Double, log: Bool = false, step: Double? = nil)
    /// An integer in `[low, high]`; sampled uniformly in `log` space when `log` is true;
    /// restricted to `low + k·step` when `step` is set.
    case int(low: Int, high: Int, log: Bool = false, step: Int? = nil)
    /// One of a list of values (strings, numbers or booleans), with no order among them.
    case categorical([ParameterValue])
    /// A constant passed to every trial; takes no coordinate of the unit cube.
    case fixed(ParameterValue)

    /// The name of the kind as written in a study file (`type: float`).
    public var typeName: String {
        switch self {
        case .float: "float"
        case .int: "int"
        case .categorical: "categorical"
        case .fixed: "fixed"
        }
    }
}
