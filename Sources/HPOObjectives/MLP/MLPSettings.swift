import Foundation
import HPOSearchSpace
import HPOTrainer
import HPOWire
import HPOStudyFile

/// The trainer settings one `mlp` trial uses: the study's options, overridden by the trial's parameters.
///
/// Every setting below can be given as an objective option (fixed for the study) or as a search-space
/// parameter (tuned per trial); a parameter wins over an option of the same name.
///
/// | key | value | default |
/// |---|---|---|
/// | `learning_rate` (alias `lr`) | number > 0 | 0.01 |
/// | `batch_size` | integer ≥ 1 | 32 |
/// | `epochs` | integer ≥ 1 | 50 |
/// | `hidden` | widths: `"64-32"`, `[64, 32]`, or one integer; `""`/`[]` for none | `"64-32"` |
/// | `hidden_1`, `hidden_2`, … | width of that hidden layer (1-based), integer ≥ 1 | — |
/// | `layers` | number of hidden layers: keeps the first `layers` widths (repeating `width` if given) | — |
/// | `width` | one width for every hidden layer (with `layers`, default 2 layers) | — |
/// | `activation` | `relu`, `tanh`, `gelu` | `relu` |
/// | `dropout` | number in [0, 1) | 0 |
/// | `weight_decay` | number ≥ 0 (L2 for sgd/adam, decoupled for adamw) | 0 |
/// | `optimizer` | `sgd`, `adam`, `adamw` | `sgd` |
/// | `momentum` | SGD momentum in [0, 1) | 0.9 |
/// | `nesterov` | boolean | false |
/// | `beta1`, `beta2` | Adam moment decays in [0, 1) | 0.9, 0.999 |
/// | `schedule` | `constant`, `cosine`, `step` | `constant` |
/// | `step_every`, `step_factor` | for `step`: epochs between decays, factor | epochs/3, 0.1 |
/// | `patience` | stop after this many epochs without improvement; 0 = never | 0 |
/// | `seed` | training seed (initialization, shuffling, dropout), integer ≥ 0 | 0 |
struct MLPSettings: Sendable {
    var learningRate = 0.01
    var batchSize = 32
    var epochs = 50
    var hidden: [Int] = [64, 32]
    var perLayer: [Int: Int] = [:]
    var layers: Int?
    var width: Int?
    var activation = Activation.relu
    var dropout = 0.0
    var weightDecay = 0.0
    var optimizer = "sgd"
    var momentum = 0.9
    var nesterov = false
    var beta1 = 0.9
    var beta2 = 0.999
    var schedule = "constant"
    var stepEvery: Int?
    var stepFactor = 0.1
    var patience = 0
    var seed: UInt64 = 0

    /// Every key `apply` understands (the `hidden_<n>` family is matched by prefix).
    static let keys: Set<String> = [
        "learning_rate", "lr", "batch_size", "epochs", "hidden", "layers", "width", "activation", "dropout",
        "weight_decay", "optimizer", "momentum", "nesterov", "beta1", "beta2", "schedule", "step_every",
        "step_factor", "patience", "seed",
    ]

    /// Whether `key` is a setting (including `hidden_<n>` with n ≥ 1).
    static func isSetting(_ key: String) -> Bool {
        keys.contains(key) || hiddenLayerIndex(key) != nil
    }

    /// `n` for a key `hidden_<n>` (n ≥ 1), else `nil`.
    static func hiddenLayerIndex(_ key: String) -> Int? {
        guard key.hasPrefix("hidden_"), let n = Int(key.dropFirst("hidden_".count)), n >= 1 else { return nil }
        return n
    }

    /// Sets `key` from a study value; `what` names its source in errors ("option" or "parameter").
    ///
    /// - Throws: a message naming the key, echoing the value and saying what is expected.
    mutating func apply(_ key: String, _ value: SettingValue, what: String) throws(StudyFileError) {
        func fail(_ expected: String) -> StudyFileError {
            StudyFileError(.objectiveInvalidOption, objective: "mlp", "\(what) \"\(key)\" must be \(expected), got \(value)")
        }
        func number() throws(StudyFileError) -> Double {
            guard let number = value.number, number.isFinite else { throw fail("a number") }
            return number
        }
        func integer(minimum: Int) throws(StudyFileError) -> Int {
            guard let integer = value.integer, integer >= minimum else { throw fail("an integer ≥ \(minimum)") }
            return integer
        }
        func choice(_ choices: [String]) throws(StudyFileError) -> String {
            guard let text = value.text?.lowercased(), choices.contains(text) else {
                throw fail("one of \(choices.joined(separator: ", "))")
            }
            return text
        }
        if let n = Self.hiddenLayerIndex(key) {
            perLayer[n] = try integer(minimum: 1)
            return
        }
        switch key {
        case "learning_rate", "lr": learningRate = try number()
        case "batch_size": batchSize = try integer(minimum: 1)
        case "epochs": epochs = try integer(minimum: 1)
        case "hidden":
            guard let widths = value.widths, widths.allSatisfy({ $0 >= 1 }) else {
                throw fail("hidden widths such as \"64-32\", [64, 32] or 64 (each ≥ 1)")
            }
            hidden = widths
        case "layers": layers = try integer(minimum: 0)
        case "width": width = try integer(minimum: 1)
        case "activation":
            activation = Activation(rawValue: try choice(Activation.allCases.map(\.rawValue)))!
        case "dropout": dropout = try number()
        case "weight_decay": weightDecay = try number()
        case "optimizer": optimizer = try choice(["sgd", "adam", "adamw"])
        case "momentum": momentum = try number()
        case "nesterov":
            guard let flag = value.flag else { throw fail("true or false") }
            nesterov = flag
        case "beta1": beta1 = try number()
        case "beta2": beta2 = try number()
        case "schedule": schedule = try choice(["constant", "cosine", "step"])
        case "step_every": stepEvery = try integer(minimum: 1)
        case "step_factor": stepFactor = try number()
        case "patience": patience = try integer(minimum: 0)
        case "seed": seed = UInt64(try integer(minimum: 0))
        default:
            throw StudyFileError(.objectiveInvalidOption, objective: "mlp", "unknown \(what) \"\(key)\"\(SpellingSuggestion.hint(for: key, in: Self.keys)); \(Self.knownKeysText)")
        }
    }

    static var knownKeysText: String {
        "the mlp settings are \(keys.sorted().joined(separator: ", ")) and hidden_1, hidden_2, …"
    }

    /// The hidden widths after `hidden`, `hidden_<n>`, `layers` and `width` are combined.
    ///
    /// `hidden_<n>` overrides the n-th width (extending the list when n is past its end; gaps are an
    /// error); `width` replaces every width; `layers` then keeps the first `layers` widths, repeating
    /// the last (or `width`) when more are asked for.
    func hiddenWidths() throws(StudyFileError) -> [Int] {
        var widths = hidden
        if let width { widths = Array(repeating: width, count: layers ?? max(widths.count, 1)) }
        for (n, layerWidth) in perLayer.sorted(by: { $0.key < $1.key }) {
            if n <= widths.count {
                widths[n - 1] = layerWidth
            } else if n == widths.count + 1 {
                widths.append(layerWidth)
            } else {
                throw StudyFileError(
                    .objectiveInvalidOption, objective: "mlp",
                    "hidden_\(n) is set but hidden layer \(widths.count + 1) has no width; give hidden_\(widths.count + 1) too, or set hidden")
            }
        }
        if let layers {
            if layers <= widths.count {
                widths = Array(widths.prefix(layers))
            } else if let last = widths.last {
                widths += Array(repeating: last, count: layers - widths.count)
            } else {
                throw StudyFileError(.objectiveInvalidOption, objective: "mlp", "layers is \(layers) but no width is known; set width or hidden")
            }
        }
        return widths
    }

    /// The trainer configuration, checked.
    ///
    /// - Throws: `StudyFileError` with the trainer's message when a value is out of range.
    func configuration() throws(StudyFileError) -> MLPConfiguration {
        var configuration = MLPConfiguration()
        configuration.hiddenWidths = try hiddenWidths()
        configuration.activation = activation
        configuration.dropout = dropout
        configuration.weightDecay = weightDecay
        switch optimizer {
        case "adam": configuration.optimizer = .adam(beta1: beta1, beta2: beta2, epsilon: 1e-8)
        case "adamw": configuration.optimizer = .adamW(beta1: beta1, beta2: beta2, epsilon: 1e-8)
        default: configuration.optimizer = .sgd(momentum: momentum, nesterov: nesterov)
        }
        configuration.learningRate = learningRate
        switch schedule {
        case "cosine": configuration.schedule = .cosine(minimumFraction: 0)
        case "step": configuration.schedule = .step(every: stepEvery ?? max(1, epochs / 3), factor: stepFactor)
        default: configuration.schedule = .constant
        }
        configuration.batchSize = batchSize
        configuration.epochs = epochs
        configuration.patience = patience > 0 ? patience : nil
        configuration.seed = seed
        do {
            try configuration.validate()
        } catch {
            throw StudyFileError(.objectiveInvalidOption, objective: "mlp", "\(error)")
        }
        return configuration
    }
}

/// A setting's value from either source: a JSON option or a trial parameter.
enum SettingValue: CustomStringConvertible {
    case json(JSONValue)
    case parameter(ParameterValue)

    var number: Double? { read(\.numberValue, \.doubleValue) }
    var integer: Int? { read(\.intValue, \.intValue) }
    var text: String? { read(\.stringValue, \.stringValue) }
    var flag: Bool? { read(\.boolValue, \.boolValue) }

    /// The value as `T`, read by the accessor of its source; nil when it is not a `T`.
    private func read<T>(_ json: (JSONValue) -> T?, _ parameter: (ParameterValue) -> T?) -> T? {
        switch self {
        case .json(let value): json(value)
        case .parameter(let value): parameter(value)
        }
    }

    /// Hidden widths from `"64-32"` (also `"64,32"`, `"64x32"`), `[64, 32]`, or a single integer.
    var widths: [Int]? {
        if let single = integer { return [single] }
        if case .json(.array(let elements)) = self {
            let widths = elements.compactMap(\.intValue)
            return widths.count == elements.count ? widths : nil
        }
        guard let text else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed == "none" { return [] }
        let parts = trimmed.split(whereSeparator: { "-,x ".contains($0) })
        let widths = parts.compactMap { Int($0) }
        return widths.count == parts.count ? widths : nil
    }

    var description: String {
        switch self {
        case .json(let value): "\(value)"
        case .parameter(let value): "\(value)"
        }
    }
}
