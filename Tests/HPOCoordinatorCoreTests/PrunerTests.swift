import HPOCoordinatorCore
import HPOOptimizer
import Testing

/// The pruners alone, on hand-made curves (no coordinator).
@Suite struct PrunerTests {
    private func id(_ raw: Int) -> TrialID { TrialID(rawValue: raw) }

    @Test func ashaPrunesExactlyTheTrialsOutsideTheTopThirdAtRungZero() {
        var asha = ASHAPruner(reductionFactor: 3, minResource: 1, maxResource: 27, direction: .maximize)
        // Trial 6 ties trial 1 with two values better: pruned; trial 7 ties trial 5 with one better: kept (ties favour
        // the trial being judged).
        let values = [0.5, 0.6, 0.4, 0.7, 0.55, 0.65, 0.6, 0.65]
        var pruned: [Int] = []
        for (trial, value) in values.enumerated() {
            #expect(asha.judges(id(trial), step: 1))
            if case .prune = asha.report(id(trial), step: 1, value: value) { pruned.append(trial) }
        }
        #expect(pruned == [2, 4, 6])
        #expect(asha.rungs[0].visible.count == 8)
        #expect(asha.resource(ofRung: 0) == 1 && asha.resource(ofRung: 1) == 3 && asha.resource(ofRung: 2) == 9)
        #expect(asha.resource(ofRung: 3) == nil)   // 27 = max_resource: trials complete there
    }

    @Test func ashaJudgesEachRungOnceEvenForARetriedAttempt() {
        var asha = ASHAPruner(reductionFactor: 2, minResource: 1, maxResource: 16, direction: .minimize)
        #expect(asha.report(id(0), step: 1, value: 1.0) == .keep)
        #expect(!asha.judges(id(0), step: 1))     // a retried attempt reporting step 1 again: not judged again
        #expect(!asha.judges(id(0), step: 1))
        #expect(asha.report(id(0), step: 1, value: 9.0) == .keep)
        #expect(asha.rungs[0].visible == [1.0])
        #expect(asha.judges(id(0), step: 2))
    }

    @Test func ashaRecordsEveryRungAReportJumpsOver() {
        var asha = ASHAPruner(reductionFactor: 3, minResource: 1, maxResource: 100, direction: .maximize)
        #expect(asha.report(id(0), step: 10, value: 0.9) == .keep)
        #expect(asha.rungs.map(\.visible) == [[0.9], [0.9], [0.9]])   // rungs at steps 1, 3 and 9
        #expect(asha.nextRung[id(0)] == 3)
        // A trial arriving late at rung 0, after the others moved on, is judged against all of rung 0's values.
        _ = asha.report(id(1), step: 1, value: 0.95)
        if case .prune = asha.report(id(2), step: 1, value: 0.5) {} else { Issue.record("trial 2 should be pruned") }
    }

    @Test func ashaInSyncModeJudgesOnlyWithRevealedValues() {
        var asha = ASHAPruner(reductionFactor: 2, minResource: 1, maxResource: 8, direction: .maximize, isSync: true)
        // Batch 1: nothing is visible, whatever the order of arrival.
        for (trial, value) in [0.9, 0.1, 0.5].enumerated() {
            #expect(asha.report(id(trial), step: 1, value: value) == .keep)
        }
        asha.reveal()
        // Batch 2: judged against batch 1's three values (top ⌊4/2⌋ = 2 kept).
        #expect(asha.report(id(3), step: 1, value: 0.6) == .keep)     // 1 better (0.9)
        if case .prune = asha.report(id(4), step: 1, value: 0.4) {} else { Issue.record("trial 4 should be pruned") }
    }

    @Test func medianRuleWaitsForWarmupAndMinTrialsThenComparesWithCompletedTrials() {
        var median = MedianPruner(warmupSteps: 2, minTrials: 2, intervalSteps: 1, direction: .maximize)
        // Two completed trials with curves 0.5, 0.6, 0.7 and 0.3, 0.4, 0.5 (median at step 2: 0.5, step 3: 0.6).
        for (trial, curve) in [[0.5, 0.6, 0.7], [0.3, 0.4, 0.5]].enumerated() {
            for (index, value) in curve.enumerated() { _ = median.report(id(trial), step: index + 1, value: value) }
            median.trialEnded(id(trial), completedWith: curve.last)
        }
        #expect(median.completedCount == 2)
        #expect(!median.judges(id(2), step: 1))
        #expect(median.report(id(2), step: 1, value: 0.1) == .keep)          // warm-up
        #expect(median.report(id(2), step: 2, value: 0.5) == .keep)          // equal to the median: kept
        guard case .prune(let reason) = median.report(id(2), step: 3, value: 0.55) else {
            Issue.record("best 0.55 < median 0.6 at step 3 should prune")
            return
        }
        #expect(reason.contains("median 0.6") && reason.contains("step 3"))
        // A pruned trial never joins the reference.
        median.trialEnded(id(2), completedWith: nil)
        #expect(median.byStep[3]?.visible == [0.5, 0.7])
    }

    @Test func medianRuleNeedsItsMinimumOfCompletedTrials() {
        var median = MedianPruner(warmupSteps: 0, minTrials: 2, direction: .minimize)
        _ = median.report(id(0), step: 1, value: 1.0)
        median.trialEnded(id(0), completedWith: 1.0)
        #expect(median.report(id(1), step: 1, value: 5.0) == .keep)   // one completed trial is not enough
        median.trialEnded(id(1), completedWith: 5.0)
        if case .prune = median.report(id(2), step: 1, value: 4.0) {} else { Issue.record("4.0 > median 3.0 should prune") }
    }

    @Test func hyperbandSpreadsTrialsOverBracketsInProportionToTheirSizes() {
        let hyperband = HyperbandPruner(reductionFactor: 3, minResource: 1, maxResource: 27, direction: .maximize)
        #expect(hyperband.brackets.count == 4)
        // Hyperband's bracket sizes for η = 3, R/r = 27: 27, 12, 6, 4.
        let counts = (0..<4).map { bracket in hyperband.schedule.filter { $0 == bracket }.count }
        #expect(counts == [27, 12, 6, 4])
        #expect(Set((0..<8).map { hyperband.bracket(of: id($0)) }).count >= 3)   // consecutive ids are spread out
        // Bracket s starts judging at 3^s; bracket 3 (27 = max_resource) never prunes.
        for trial in 0..<49 {
            let bracket = hyperband.bracket(of: id(trial))
            #expect(hyperband.brackets[bracket].resource(ofRung: 0) == (bracket == 3 ? nil : [1, 3, 9][bracket]))
            #expect(hyperband.judges(id(trial), step: 1) == (bracket == 0))
        }
    }

    @Test func hyperbandComparesATrialOnlyWithItsOwnBracket() {
        var hyperband = HyperbandPruner(reductionFactor: 3, minResource: 1, maxResource: 27, direction: .maximize)
        let bracketZero = (0..<49).filter { hyperband.bracket(of: id($0)) == 0 }
        let other = (0..<49).first { hyperband.bracket(of: id($0)) == 1 }!
        _ = hyperband.report(id(bracketZero[0]), step: 3, value: 0.9)
        _ = hyperband.report(id(bracketZero[1]), step: 3, value: 0.8)
        // Bracket 1's first trial at its rung 0 (step 3) is alone there: kept, whatever bracket 0 recorded.
        #expect(hyperband.report(id(other), step: 3, value: 0.1) == .keep)
        if case .prune(let reason) = hyperband.report(id(bracketZero[2]), step: 3, value: 0.1) {
            #expect(reason.hasPrefix("Hyperband bracket 0"))
        } else {
            Issue.record("bracket 0's third trial, worst of three, should be pruned")
        }
    }

    @Test func settingsMakeTheirPruner() {
        #expect(PrunerSettings.none.makePruner(direction: .maximize, isSync: false) is NoPruner)
        #expect(PrunerSettings.asha(reductionFactor: 3, minResource: 1, maxResource: nil, minEarlyStoppingRate: 0)
            .makePruner(direction: .maximize, isSync: false) is ASHAPruner)
        #expect(PrunerSettings.median(warmupSteps: 0, minTrials: 1, intervalSteps: 1).kind == "median")
    }
}
