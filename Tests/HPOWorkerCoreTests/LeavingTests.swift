import HPOWire
import HPOWorkerCore
import Testing

/// SHUTDOWN, local stops, refusals and the one stop deadline.
@Suite struct LeavingTests {
    @Test func shutdownStopsTheRunningAttemptReportsItAndExitsZero() throws {
        var worker = WorkerHarness()
        worker.connect()
        worker.trial(4)
        let shutdown = worker.receive(.shutdown(Shutdown(reason: "interrupted")))
        #expect(shutdown.cancelled == [WorkerHarness.key(4)] && shutdown.exit == nil)
        let end = worker.finish(4, .stopped(reason: "coordinator shutdown: interrupted"))
        #expect(end.sentKinds == [.result])
        #expect(end.last == .exit(.shutdown(reason: "interrupted")))
        #expect(end.exit?.exitCode == 0)
        #expect(worker.advance(.seconds(100)).isEmpty, "nothing after the exit")
    }

    @Test func anIdleWorkerExitsAtOnceOnShutdown() {
        var worker = WorkerHarness()
        worker.connect()
        #expect(worker.receive(.shutdown(Shutdown(reason: "done"))).exit == .shutdown(reason: "done"))
    }

    @Test func anObjectiveThatIgnoresItsStopKeepsTheWorkerExactlyTheGracePeriod() {
        var worker = WorkerHarness { $0.stopGracePeriod = .seconds(10) }
        worker.connect()
        worker.trial(1)
        worker.send(.stopRequested(reason: "SIGTERM"))
        #expect(worker.advance(.milliseconds(9_999)).exit == nil)
        let end = worker.advance(.milliseconds(1))
        #expect(end.exit == .stopped(reason: "SIGTERM"))
        #expect(end.logs(atLeast: .warning).contains { $0.contains("did not return within 10 s") })
    }

    @Test func aSecondStopRequestExitsAtOnce() {
        var worker = WorkerHarness()
        worker.connect()
        worker.trial(1)
        #expect(worker.send(.stopRequested(reason: "SIGINT")).cancelled == [WorkerHarness.key(1)])
        #expect(worker.send(.stopRequested(reason: "SIGINT")).exit == .stopped(reason: "SIGINT"))
    }

    @Test func aTrialArrivingWhileStoppingIsRefusedAsShuttingDown() {
        var worker = WorkerHarness()
        worker.connect()
        worker.trial(1)
        worker.send(.stopRequested(reason: "SIGTERM"))
        let late = worker.trial(2)
        #expect(late.started.isEmpty)
        #expect(late.results.map(\.outcome) == [.stopped(reason: "the worker is shutting down")])
    }

    @Test func heartbeatsStopWhileLeaving() {
        var worker = WorkerHarness()
        worker.connect()
        worker.trial(1)
        worker.send(.stopRequested(reason: "SIGTERM"))
        #expect(worker.advance(.seconds(5)).sent.isEmpty)
    }

    @Test func anUnsupportedObjectiveErrorEndsTheWorkerAsRejected() throws {
        var worker = WorkerHarness()
        worker.connect()
        let exit = try #require(worker.receive(.error(ErrorReply(code: .unsupportedObjective, message: "needs mlp"))).exit)
        #expect(exit == .rejected(message: "needs mlp"))
    }
}
