import HPOCoordinatorCore
import HPOObjectives
import HPOStudyFile
import Testing

/// The study file's `pruner:` section (docs/study-file.md, *pruner*).
@Suite struct StudyConfigPrunerTests {
    private func study(_ pruner: String, objective: String = "{kind: mlp, dataset: digits, epochs: 27}") -> String {
        """
        name: p
        space: {lr: {type: float, low: 0.001, high: 0.1, log: true}}
        budget: {trials: 10}
        objective: \(objective)
        \(pruner)
        """
    }

    private func parse(_ text: String) throws -> StudyConfig {
        try StudyConfig.parse(yaml: text, file: "study.yaml", checksObjective: false)
    }

    @Test func withoutAPrunerSectionNothingIsPruned() throws {
        let config = try parse(study(""))
        #expect(config.pruner == .none && config.prunedTrials == .lastValue)
    }

    @Test func everyKindReadsItsKeysWithTheirDefaults() throws {
        #expect(try parse(study("pruner: {kind: median}")).pruner == .median(warmupSteps: 0, minTrials: 5, intervalSteps: 1))
        #expect(try parse(study("pruner: {kind: median, warmup_steps: 3, min_trials: 2, interval_steps: 2}")).pruner
            == .median(warmupSteps: 3, minTrials: 2, intervalSteps: 2))
        // ASHA, like Hyperband, takes the mlp objective's epochs (27) as its maximum resource; min_resource
        // ⌈27 / 3³⌉ = 1.
        #expect(try parse(study("pruner: {kind: asha}")).pruner
            == .asha(reductionFactor: 3, minResource: 1, maxResource: 27, minEarlyStoppingRate: 0))
        #expect(try parse(study("pruner: {kind: ASHA, reduction_factor: 4, min_resource: 2, max_resource: 64, min_early_stopping_rate: 1}")).pruner
            == .asha(reductionFactor: 4, minResource: 2, maxResource: 64, minEarlyStoppingRate: 1))
        // Hyperband takes the mlp objective's epochs as its maximum resource.
        #expect(try parse(study("pruner: {kind: hyperband}")).pruner == .hyperband(reductionFactor: 3, minResource: 1, maxResource: 27))
        let ignoring = try parse(study("pruner: {kind: asha, pruned_trials: ignore}"))
        #expect(ignoring.prunedTrials == .ignore)
    }

    @Test(arguments: [
        ("pruner: {kind: asha, reduction_factor: 1}", "pruner.reduction_factor", "an integer from 2 to 1000"),
        ("pruner: {kind: asha, min_resource: 0}", "pruner.min_resource", "a positive integer"),
        ("pruner: {kind: asha, min_resource: 5, max_resource: 5}", "pruner.max_resource", "must be larger than min_resource (5)"),
        ("pruner: {kind: asha, warmup_steps: 3}", "pruner.warmup_steps", "is not a setting of pruner kind asha (it is one of median)"),
        ("pruner: {kind: sha}", "pruner.kind", "expected one of none, median, asha, hyperband, got \"sha\""),
        ("pruner: {kind: median, min_trials: 0}", "pruner.min_trials", "a positive integer"),
        ("pruner: {kind: median, pruned_trials: drop}", "pruner.pruned_trials", "expected one of last_value, ignore"),
        ("pruner: {kind: median, warmup: 3}", "pruner.warmup", "unknown key"),
    ])
    func badValuesNameTheirKey(pruner: String, keyPath: String, message: String) {
        do {
            _ = try parse(study(pruner))
            Issue.record("\(pruner) was accepted")
        } catch let error as StudyFileError {
            #expect(error.description.contains(keyPath), "\(error.description)")
            #expect(error.description.contains(message), "\(error.description)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    /// min_resource defaults to ⌈max_resource / η³⌉ (at most three rungs; docs/study-file.md, *pruner*, where the
    /// digits benchmark behind it is quoted), or 1 when the maximum is unknown.
    @Test(arguments: [
        ("pruner: {kind: asha}", "{kind: mlp, dataset: digits, epochs: 100}", PrunerSettings.asha(
            reductionFactor: 3, minResource: 4, maxResource: 100, minEarlyStoppingRate: 0)),
        ("pruner: {kind: hyperband}", "{kind: mlp, dataset: digits, epochs: 100}", .hyperband(
            reductionFactor: 3, minResource: 4, maxResource: 100)),
        ("pruner: {kind: asha, reduction_factor: 2}", "{kind: mlp, dataset: digits, epochs: 100}", .asha(
            reductionFactor: 2, minResource: 13, maxResource: 100, minEarlyStoppingRate: 0)),
        ("pruner: {kind: asha, max_resource: 81}", "{kind: command, argv: [python3, t.py]}", .asha(
            reductionFactor: 3, minResource: 3, maxResource: 81, minEarlyStoppingRate: 0)),
        ("pruner: {kind: asha}", "{kind: command, argv: [python3, t.py]}", .asha(
            reductionFactor: 3, minResource: 1, maxResource: nil, minEarlyStoppingRate: 0)),
        ("pruner: {kind: asha, min_resource: 1}", "{kind: mlp, dataset: digits, epochs: 100}", .asha(
            reductionFactor: 3, minResource: 1, maxResource: 100, minEarlyStoppingRate: 0)),
        ("pruner: {kind: hyperband, reduction_factor: 1000, max_resource: 9223372036854775807}",
         "{kind: command, argv: [python3, t.py]}", .hyperband(
            reductionFactor: 1000, minResource: 9_223_372_037, maxResource: .max)),
    ])
    func minResourceDefaultsToThreeRungsBelowTheMaximum(pruner: String, objective: String, expected: PrunerSettings) throws {
        #expect(try parse(study(pruner, objective: objective)).pruner == expected)
    }

    @Test func aDefaultedMaximumTooSmallSaysWhereItCameFrom() {
        do {
            _ = try parse(study("pruner: {kind: asha, min_resource: 2}", objective: "{kind: mlp, dataset: digits, epochs: 2}"))
            Issue.record("accepted epochs 2 with min_resource 2")
        } catch let error as StudyFileError {
            #expect(error.description.contains(
                "pruner.max_resource: is 2 (the mlp objective's epochs, its default) but must be larger than min_resource (2)"),
                "\(error.description)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func hyperbandNeedsAMaximumResourceForOtherObjectives() {
        do {
            _ = try parse(study("pruner: {kind: hyperband}", objective: "{kind: command, argv: [python3, t.py]}"))
            Issue.record("accepted without max_resource")
        } catch let error as StudyFileError {
            #expect(error.description.contains("pruner.max_resource: is required for hyperband with objective kind command"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
