import HPOCoordinatorCore
import HPOOptimizer
import HPOOutput
import HPOCoordinatorRuntime
import Testing

@Suite struct StudyCurvesTests {
    @Test func aTrialsCurveIsItsLatestAttemptsRowsInJournalOrder() {
        let (zero, one) = (TrialID(rawValue: 0), TrialID(rawValue: 1))
        let curves = StudyCurves(events: [
            .trialProgress(trial: one, attempt: 1, step: 1, value: 0.25),
            .trialProgress(trial: zero, attempt: 1, step: 1, value: 0.5),
            .trialProgress(trial: one, attempt: 2, step: 1, value: 0.3),   // a retry starts the curve again
            .trialProgress(trial: one, attempt: 1, step: 2, value: 0.9),   // late row of the superseded attempt
            .trialProgress(trial: one, attempt: 2, step: 2, value: 0.4),
        ])
        #expect(curves.csv == "trial,step,value\n0,1,0.5\n1,1,0.3\n1,2,0.4\n")
        #expect(curves.json == """
            [
              {"trial": 0, "step": 1, "value": 0.5},
              {"trial": 1, "step": 1, "value": 0.3},
              {"trial": 1, "step": 2, "value": 0.4}
            ]

            """)
        #expect(StudyCurves(events: []).json == "[]\n")
    }
}
