/// The identity of one trial, assigned 0, 1, 2, … by an ``Optimizer`` in the order it proposes trials.
///
/// Encodes as a bare integer (JSON `3`, not `{"rawValue": 3}`).
public struct TrialID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The trial's number, ≥ 0.
    public var rawValue: Int

    public init(_ rawValue: Int) {
        self.rawValue = rawValue
    }

    public init(rawValue: Int) {
        self.rawValue = rawValue
    }

    public static func < (lhs: TrialID, rhs: TrialID) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// `#3`.
    public var description: String { "#\(rawValue)" }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
