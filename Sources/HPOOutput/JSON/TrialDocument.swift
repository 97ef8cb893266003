public import HPOCoordinatorRuntime
import HPOOptimizer
import Foundation
public import HPOCoordinatorCore
public import HPOSearchSpace

/// One trial in every JSON document (docs/json.md, *trial*): `hpo run --json`, `hpo coordinator --json`,
/// `hpo show --format json`, `hpo export --format json`. Every key is always present; null when unknown.
public struct TrialDocument: Encodable, Sendable, Hashable {
    /// The trial's id (≥ 0).
    public var trial: Int
    /// `queued`, `running`, `completed` or `failed`.
    public var state: String
    /// The objective's value when completed (the study's metric).
    @JSONNullable public var value: Double? = nil
    /// The hyperparameters, each as its bare JSON value (number, string or boolean).
    public var parameters: Assignment
    /// Extra metrics reported with the value (e.g. `validation_loss`); empty when none or unknown.
    public var metrics: [String: Double]
    /// Attempts dispatched so far (0 before the first dispatch).
    public var attempts: Int
    /// Seconds the completing worker spent on it, when completed and known.
    @JSONNullable public var durationSeconds: Double? = nil
    /// Why it failed, or why its last attempt was re-queued.
    @JSONNullable public var reason: String? = nil
    /// The printed id of the worker that ran its latest attempt (`name.pid.xxxx`).
    @JSONNullable public var worker: String? = nil
    /// When it was proposed, ISO 8601 UTC.
    @JSONNullable public var proposedAt: String? = nil
    /// When it completed or failed, ISO 8601 UTC.
    @JSONNullable public var finishedAt: String? = nil

    /// The trial as the journal tells it (`hpo show`, `hpo export`).
    public init(_ trial: StudyHistory.Trial) {
        self.trial = trial.id
        state = trial.state.rawValue
        value = trial.value
        parameters = trial.parameters
        metrics = trial.metrics
        attempts = trial.attempts
        durationSeconds = trial.durationSeconds
        reason = trial.reason
        worker = trial.worker
        proposedAt = trial.proposedAt.timeIntervalSince1970 > 0 ? JSONOutput.timestamp(trial.proposedAt) : nil
        finishedAt = trial.finishedAt.map(JSONOutput.timestamp)
    }

    /// The trial as a finished session summarized it, when the journal cannot be read.
    public init(_ trial: TrialSummary) {
        self.trial = trial.id.rawValue
        state = trial.state.rawValue
        value = trial.value
        parameters = trial.parameters
        metrics = [:]
        attempts = trial.attempts
        reason = trial.failureReason
    }

    enum CodingKeys: String, CodingKey {
        case trial, state, value, parameters, metrics, attempts, reason, worker
        case durationSeconds = "duration_seconds", proposedAt = "proposed_at", finishedAt = "finished_at"
    }

}
