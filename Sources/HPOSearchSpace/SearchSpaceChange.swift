/// How one parameter of a study file's search space differs from the space a journal was run with.
///
/// Computed by ``SearchSpace/changes(from:)``, the one comparison of two spaces (the coordinator's replay refuses a
/// `--resume` with it, `hpo enqueue` and warm start rely on the same rule).
public struct SearchSpaceChange: Sendable, Hashable, CustomStringConvertible {
    /// What kind of change it is.
    public enum Kind: String, Sendable, Hashable {
        /// Every old value is still allowed and more are (a lower `low`, a higher `high`, a finer grid, new choices):
        /// old trials stay inside the space, so a study may resume.
        case widened
        /// Some old values are no longer allowed (a higher `low`, a lower `high`, a coarser or shifted grid, a
        /// removed choice, a fixed value changed, a continuous range made stepped).
        case narrowed
        /// The type, the scale or the `when:` condition changed (`float` to `int`, `log: true` to `false`, ...).
        case typeChanged
        /// The study file has a parameter the old space lacks (old trials have no value for it).
        case added
        /// The study file lacks a parameter of the old space.
        case removed
    }

    /// The parameter's name.
    public var parameter: String
    /// What changed.
    public var kind: Kind
    /// The parameter as the old space defined it (nil when added).
    public var old: Parameter?
    /// The parameter as the new space defines it (nil when removed).
    public var new: Parameter?

    public init(parameter: String, kind: Kind, old: Parameter?, new: Parameter?) {
        self.parameter = parameter
        self.kind = kind
        self.old = old
        self.new = new
    }

    /// Whether a study may continue across this change (only widening keeps every old trial inside the space).
    public var keepsOldTrials: Bool { kind == .widened }

    /// E.g. `lr: narrowed from {type: float, low: 1.0e-05, high: 0.1} to {type: float, low: 0.0001, high: 0.1}`.
    public var description: String {
        let from = old.map(ParameterKind.specDescription(of:)) ?? ""
        let to = new.map(ParameterKind.specDescription(of:)) ?? ""
        return switch kind {
        case .widened: "\(parameter): widened from \(from) to \(to)"
        case .narrowed: "\(parameter): narrowed from \(from) to \(to)"
        case .typeChanged: "\(parameter): type, scale or condition changed from \(from) to \(to)"
        case .added: "\(parameter): added as \(to) (the old trials have no value for it)"
        case .removed: "\(parameter): removed (was \(from))"
        }
    }
}

extension SearchSpace {
    /// How this space differs from `old`, one entry per changed parameter: first the old space's parameters in
    /// their order (changed or removed), then the added ones. Unchanged parameters and parameter order are not
    /// reported (trials are matched by name, and the optimizer re-encodes them in the new order).
    ///
    /// - Complexity: O(p · c) for p parameters and c choices per categorical.
    public func changes(from old: SearchSpace) -> [SearchSpaceChange] {
        var found: [SearchSpaceChange] = []
        for parameter in old.parameters {
            guard let now = self.parameter(named: parameter.name) else {
                found.append(SearchSpaceChange(parameter: parameter.name, kind: .removed, old: parameter, new: nil))
                continue
            }
            guard now.kind != parameter.kind || now.condition != parameter.condition else { continue }
            // Another condition changes which trials have a value for it: not a widening.
            let kind = now.condition != parameter.condition ? .typeChanged : now.kind.change(from: parameter.kind)
            found.append(SearchSpaceChange(parameter: parameter.name, kind: kind, old: parameter, new: now))
        }
        for parameter in parameters where old.parameter(named: parameter.name) == nil {
            found.append(SearchSpaceChange(parameter: parameter.name, kind: .added, old: nil, new: parameter))
        }
        return found
    }
}

extension ParameterKind {
    /// How `self` relates to `old` (which differs from it): widened when every value of `old` is a value of
    /// `self`.
    func change(from old: ParameterKind) -> SearchSpaceChange.Kind {
        switch (old, self) {
        case (.float(let oldLow, let oldHigh, let oldLog, let oldStep), .float(let low, let high, let log, let step)):
            guard oldLog == log else { return .typeChanged }
            guard low <= oldLow, high >= oldHigh else { return .narrowed }
            guard let step else { return .widened }
            // A grid contains the old one when the old start lies on it and the old step is a multiple of its step.
            guard let oldStep, Self.isMultiple(oldLow - low, of: step), Self.isMultiple(oldStep, of: step) else {
                return .narrowed
            }
            return .widened
        case (.int(let oldLow, let oldHigh, let oldLog, let oldStep), .int(let low, let high, let log, let step)):
            guard oldLog == log else { return .typeChanged }
            guard low <= oldLow, high >= oldHigh else { return .narrowed }
            let grid = step ?? 1
            return (oldLow - low) % grid == 0 && (oldStep ?? 1) % grid == 0 ? .widened : .narrowed
        case (.categorical(let oldChoices), .categorical(let choices)):
            let kept = oldChoices.allSatisfy { old in choices.contains { $0.isNumericallyEqual(to: old) } }
            return kept ? .widened : .narrowed
        case (.fixed(let oldValue), .fixed(let value)):
            return oldValue.isNumericallyEqual(to: value) ? .widened : .narrowed
        default:
            return .typeChanged
        }
    }

    /// Whether `value` is an integral multiple of `step` (within 1e-9 steps).
    private static func isMultiple(_ value: Double, of step: Double) -> Bool {
        let ratio = value / step
        return abs(ratio - ratio.rounded()) <= 1e-9
    }

    /// The spec as a study file spells it, with its condition, e.g. `{type: float, low: 0.0, high: 0.9} when
    /// {optimizer: sgd}`.
    static func specDescription(of parameter: Parameter) -> String {
        parameter.kind.specDescription + (parameter.condition.map { " when \($0)" } ?? "")
    }

    /// The kind as a study file spells it, e.g. `{type: float, low: -5.0, high: 10.0, log: true}`.
    public var specDescription: String {
        switch self {
        case .float(let low, let high, let log, let step):
            "{type: float, low: \(low), high: \(high)\(log ? ", log: true" : "")\(step.map { ", step: \($0)" } ?? "")}"
        case .int(let low, let high, let log, let step):
            "{type: int, low: \(low), high: \(high)\(log ? ", log: true" : "")\(step.map { ", step: \($0)" } ?? "")}"
        case .categorical(let choices):
            "{type: categorical, choices: \(Self.describe(choices))}"
        case .fixed(let value):
            "{type: fixed, value: \(Self.spell(value))}"
        }
    }
}
