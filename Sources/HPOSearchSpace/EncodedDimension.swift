/// What one coordinate of the unit cube stands for.
///
/// The optimizer works on `[0, 1]^d`; ``SearchSpace/dimensions`` says for each coordinate how a value there maps
/// back to a parameter, so that a model can treat it correctly (e.g. snap discrete coordinates, or group one-hot ones).
public enum EncodedDimension: Sendable, Hashable {
    /// A real-valued parameter without a step (linear or log scale): any value in `[0, 1]` is meaningful.
    case continuous
    /// An integer parameter or a stepped real parameter with `levels` distinct values. Each value owns an
    /// interval of `[0, 1]` of equal width (equal width in log space on a log scale) and encodes to that
    /// interval's centre.
    case discrete(levels: Int)
    /// Choice `choice` (0-based) of categorical parameter number `parameter` (index in
    /// ``SearchSpace/parameters``), which has `choices` choices: 1 when chosen, else 0.
    case oneHot(parameter: Int, choice: Int, choices: Int)
}
