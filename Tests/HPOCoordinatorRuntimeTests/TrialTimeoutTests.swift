import Foundation
import HPOCoordinatorCore
import Testing
@testable import HPOCoordinatorRuntime
@testable import HPOStudyFile
import HPOObjectives

/// `budget.trial_timeout`: the coordinator's per-attempt deadline for every objective kind (#7 §3).
@Suite struct TrialTimeoutTests {
    static let study = """
        name: t
        space: {x0: {type: float, low: -5, high: 10}, x1: {type: float, low: 0, high: 15}}
        objective: {kind: test-function, function: branin}
        budget: {trials: 3, trial_timeout: 90s}
        heartbeat: {interval: 2s, liveness: 5}
        """

    @Test func theKeyBecomesTheCoordinatorsAttemptDeadlinePlusOneLease() throws {
        let config = try StudyConfig.parse(yaml: Self.study, file: "t.yaml")
        #expect(config.budget.trialTimeout == .seconds(90))
        let session = StudySession.coordinatorConfiguration(config, options: StudySessionOptions())
        #expect(session.attemptTimeout == .seconds(100))
    }

    @Test func aZeroTimeoutIsRefusedWithTheKey() {
        let error = #expect(throws: StudyFileError.self) {
            try StudyConfig.parse(yaml: Self.study.replacingOccurrences(of: "trial_timeout: 90s", with: "trial_timeout: 0s"), file: "t.yaml")
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("budget.trial_timeout"))
    }
}
