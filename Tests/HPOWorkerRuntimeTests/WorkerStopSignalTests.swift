import Foundation
import Testing
import HPOObjectives

@Suite struct WorkerStopSignalTests {
    @Test func firstRequestWinsAndHandlersRunOnce() {
        let signal = StopSignal()
        #expect(!signal.isRequested)
        #expect(signal.reason == nil)
        let calls = StopReasonRecorder()
        signal.onRequest { reason in calls.add(reason) }
        signal.request(reason: "cancelled: budget reached")
        signal.request(reason: "shutdown")
        #expect(signal.isRequested)
        #expect(signal.reason == "cancelled: budget reached")
        #expect(calls.values == ["cancelled: budget reached"])
        // A handler registered after the request runs at once.
        signal.onRequest { reason in calls.add("late: " + reason) }
        #expect(calls.values == ["cancelled: budget reached", "late: cancelled: budget reached"])
    }

    @Test func waitReturnsFalseWhenNobodyAsksAndTrueOnRequest() {
        let signal = StopSignal()
        #expect(signal.wait(upTo: .milliseconds(20)) == false)
        let thread = Thread { signal.request(reason: "stop") }
        thread.start()
        #expect(signal.wait(upTo: .seconds(60)) == true)
        #expect(signal.reason == "stop")
    }

    @Test func nullObjectiveReturnsZeroOrStops() {
        let objective = NullObjective()
        let context = TrialContext(trialID: 3, attempt: 1, parameters: [:])
        #expect(objective.run(context) { _, _, _ in } == .completed(value: 0, metrics: [:]))
        context.stop.request(reason: "shutdown")
        #expect(objective.run(context) { _, _, _ in } == .stopped(reason: "shutdown"))
    }
}

/// Records strings from any thread.
final class StopReasonRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    func add(_ value: String) { lock.withLock { storage.append(value) } }
    var values: [String] { lock.withLock { storage } }
}
