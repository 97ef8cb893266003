import HPOSearchSpace

/// The Optuna journal's operations as Encodable documents (field names as Optuna spells them).
extension OptunaJournalExport {
    /// A JSON number that stays an integer or a real.
    enum Number: Encodable {
        case integer(Int)
        case real(Double)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .integer(let value): try container.encode(value)
            case .real(let value): try container.encode(value)
            }
        }
    }

    /// `{"name": "FloatDistribution", "attributes": {...}}`, as `optuna.distributions.distribution_to_json` writes.
    struct Distribution: Encodable {
        enum Attributes: Encodable {
            case float(low: Double, high: Double, log: Bool, step: Double?)
            case int(low: Int, high: Int, log: Bool, step: Int)
            case categorical([ParameterValue])

            private enum Key: String, CodingKey { case low, high, log, step, choices }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                switch self {
                case .float(let low, let high, let log, let step):
                    try container.encode(low, forKey: .low)
                    try container.encode(high, forKey: .high)
                    try container.encode(log, forKey: .log)
                    try container.encode(step, forKey: .step)  // null when there is none
                case .int(let low, let high, let log, let step):
                    try container.encode(low, forKey: .low)
                    try container.encode(high, forKey: .high)
                    try container.encode(log, forKey: .log)
                    try container.encode(step, forKey: .step)
                case .categorical(let choices):
                    try container.encode(choices, forKey: .choices)
                }
            }
        }

        var name: String
        var attributes: Attributes
    }

    /// Operation 0: the study.
    struct CreateStudy: Encodable {
        var opCode = Operation.createStudy.rawValue
        var workerID: String
        var studyName: String
        /// 1 = minimize, 2 = maximize.
        var directions: [Int]

        enum CodingKeys: String, CodingKey {
            case opCode = "op_code", workerID = "worker_id", studyName = "study_name", directions
        }
    }

    /// Operation 4: a whole trial at once (Optuna's `add_trial` form).
    struct CreateTrial: Encodable {
        var opCode = Operation.createTrial.rawValue
        var workerID: String
        var studyID = 0
        var state: Int
        var params: [String: Number]
        /// Parameter name -> distribution JSON text.
        var distributions: [String: String]
        var userAttributes: [String: Int]
        var systemAttributes: [String: String] = [:]
        /// Step (as text) -> value.
        var intermediateValues: [String: Double]
        var started: String?
        var completed: String?
        var values: [Double]?

        enum CodingKeys: String, CodingKey {
            case opCode = "op_code", workerID = "worker_id", studyID = "study_id", state, params, distributions
            case userAttributes = "user_attrs", systemAttributes = "system_attrs"
            case intermediateValues = "intermediate_values", started = "datetime_start"
            case completed = "datetime_complete", values
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(opCode, forKey: .opCode)
            try container.encode(workerID, forKey: .workerID)
            try container.encode(studyID, forKey: .studyID)
            try container.encode(state, forKey: .state)
            try container.encode(params, forKey: .params)
            try container.encode(distributions, forKey: .distributions)
            try container.encode(userAttributes, forKey: .userAttributes)
            try container.encode(systemAttributes, forKey: .systemAttributes)
            try container.encode(intermediateValues, forKey: .intermediateValues)
            try container.encode(started, forKey: .started)  // Optuna reads this key even when null
            try container.encodeIfPresent(completed, forKey: .completed)
            try container.encodeIfPresent(values, forKey: .values)
        }
    }
}
