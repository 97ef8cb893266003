import HPOReport
import Testing

@Suite struct ReportDataTests {
    /// Equal values: the trial that finished first is the best (docs/json.md), whatever the ids.
    @Test func tiesGoToTheFirstTrialToComplete() {
        func data(_ finished: [(id: Int, at: Double)]) -> ReportData {
            ReportData(
                title: "ties", maximize: true, metric: "value", parameters: [],
                trials: finished.map { .init(id: $0.id, state: .completed, parameters: [:], value: 0.9, finishedAt: $0.at) },
                version: "test")
        }
        #expect(data([(0, 3), (1, 2)]).best?.id == 1)
        #expect(data([(0, 2), (1, 3)]).best?.id == 0)
        #expect(data([(0, 2), (1, 2)]).best?.id == 0, "same time: the lower id")
    }
}
