import Foundation
import HPOCoordinatorCore
import HPOOptimizer
import HPOWire
import HPOZeroMQ
import HPOWorkerCore
import Testing
import HPOOutput
import HPOCoordinatorRuntime
import HPOWorkerRuntime

/// The coordinator's transport bounds: per-type size caps answered with `message_too_large`, and bounded send queues
/// that drop replies to a peer that never reads them (docs/protocol.md, *Bounds*).
@Suite(.serialized) struct CoordinatorBoundsTests {
    @Test func anOversizeReadyGetsMessageTooLargeAndIsNotAWorker() async throws {
        let directory = try CoordinatorFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (service, _, _, intruder) = try HostileClientTests.coordinatorAndIntruder(budget: 1, in: directory)
        defer { intruder.close() }
        let body = "{\"protocol_version\":1,\"host\":\"" + String(repeating: "x", count: 8000) + "\",\"pid\":1,\"capabilities\":[\"null\"]}"
        try intruder.send([Array("hpo/1".utf8), Array("READY".utf8), Array(body.utf8)])
        var reply: ErrorReply?
        while reply == nil, let frames = try intruder.receive(timeout: .seconds(5)) {
            if case .error(let error)? = try? WireCodec.decode(frames) { reply = error }
        }
        #expect(reply?.code == .messageTooLarge)
        #expect(reply?.message.contains("READY") == true)
        // Messages from one peer are handled in order: the status answer comes after the READY was dropped.
        try intruder.send(WireCodec.encode(.statusRequest))
        var status: StudyStatus?
        while status == nil, let frames = try intruder.receive(timeout: .seconds(5)) {
            if case .statusReply(let answer)? = try? WireCodec.decode(frames) { status = answer }
        }
        #expect(status?.workers.isEmpty == true)
        service.stop(immediately: true)
        _ = await service.finished()
    }

    @Test func aPeerThatNeverReadsItsRepliesDoesNotStopTheStudy() async throws {
        let directory = try CoordinatorFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (service, _, endpoint, flooder) = try HostileClientTests.coordinatorAndIntruder(budget: 20, in: directory)
        defer { flooder.close() }
        try flooder.set(.receiveHighWaterMark(1))
        let request = WireCodec.encode(.statusRequest)
        var sent = 0
        // 5,000 requests are fifty times the coordinator's queue of 100 replies per peer; the deadline is generous
        // because the whole suite runs in parallel on two vCPUs.
        let deadline = ContinuousClock.now + .seconds(60)
        var writable = Poller()
        writable.register(flooder, for: .writable)
        while sent < 5_000, ContinuousClock.now < deadline {
            // Back-pressure: the queue is full until the coordinator reads; wait for room rather than spin.
            if try flooder.trySend(request) { sent += 1 } else { _ = try writable.poll(timeout: .milliseconds(100)) }
        }
        #expect(sent == 5_000)
        // A second client is still answered, and real workers run the whole budget.
        let status = try StatusQuery.run(endpoint: endpoint, timeout: .seconds(10), json: true)
        #expect(status.contains("\"study\""))
        let summary = try await CoordinatorFixture.finish(service, endpoint: endpoint, workers: 2).summary
        #expect(summary.state == .completed)
        #expect(summary.completed == 20)
    }
}
