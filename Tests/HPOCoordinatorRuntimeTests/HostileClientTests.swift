import Foundation
import HPOCoordinatorCore
import HPOOptimizer
import HPOWire
import HPOZeroMQ
import HPOWorkerCore
import Testing
import HPOCoordinatorRuntime
import HPOWorkerRuntime

/// Garbage on the coordinator's port (a port scanner, a stale client of another version, a buggy worker) must not
/// stop the study, corrupt the journal or be mistaken for a worker.
@Suite(.serialized) struct HostileClientTests {
    static func frames(_ tag: String, _ type: String, _ body: String) -> [[UInt8]] {
        [Array(tag.utf8), Array(type.utf8), Array(body.utf8)]
    }

    /// A started coordinator of a `budget`-trial study that journals into `directory`, and a DEALER connected to it
    /// that has sent nothing (the socket keeps its own context alive).
    static func coordinatorAndIntruder(
        budget: Int, in directory: URL
    ) throws -> (service: CoordinatorService, journal: JSONLinesJournal, endpoint: String, intruder: Socket) {
        let journal = JSONLinesJournal(path: directory.appendingPathComponent("journal.jsonl").path)
        let (service, endpoint) = try CoordinatorFixture.startedService("hostile", CoordinatorFixture.configuration(budget: budget), journal: journal, seed: 3)
        let intruder = try Socket(try Context(), type: .dealer, linger: .zero)
        try intruder.connect(endpoint)
        return (service, journal, endpoint, intruder)
    }

    /// Each message is something a real peer could send by mistake or malice.
    static let junk: [[[UInt8]]] = [
        [Array("hello".utf8)],                                                        // one frame
        [Array("GET / HTTP/1.1".utf8), [], []],                                       // not hpo
        frames("hpo/1", "FROB", "{}"),                                                 // unknown type
        frames("hpo/1", "READY", "{not json"),                                         // malformed JSON
        frames("hpo/1", "READY", String(repeating: "[", count: 100_000)),             // nesting bomb
        frames("hpo/1", "READY", #"{"protocol_version": 1, "host": "x", "pid": -4, "capabilities": ["null"]}"#),
        frames("hpo/1", "RESULT", #"{"trial_id": 12345, "attempt": 1, "status": "completed", "value": 1, "duration_seconds": 0.1}"#),
        frames("hpo/1", "PROGRESS", #"{"trial_id": 0, "attempt": 1, "step": 1, "value": NaN, "metrics": {}}"#),
        [[UInt8](repeating: 0xFF, count: 100_000), [0], [0]],
        frames("hpo/99", "READY", "{}"),                                               // a future version: answered
    ]

    @Test func garbageOnTheCoordinatorPortLosesNothing() async throws {
        let directory = try CoordinatorFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (service, journal, endpoint, intruder) = try Self.coordinatorAndIntruder(budget: 20, in: directory)
        defer { intruder.close() }

        for message in Self.junk { try intruder.send(message) }

        // The future version is refused with an ERROR that lists the versions this coordinator speaks.
        var refusal: ErrorReply?
        while refusal == nil, let reply = try intruder.receive(timeout: .seconds(5)) {
            if case .error(let error)? = try? WireCodec.decode(reply), error.code == .unsupportedVersion { refusal = error }
        }
        #expect(refusal?.supportedVersions == WireCodec.supportedVersions)

        // The coordinator still answers, and has not counted the intruder as a worker.
        try intruder.send(WireCodec.encode(.statusRequest))
        var status: StudyStatus?
        while status == nil, let reply = try intruder.receive(timeout: .seconds(5)) {
            if case .statusReply(let answer)? = try? WireCodec.decode(reply) { status = answer }
        }
        #expect(status?.study == "hostile")
        #expect(status?.completed == 0)

        // Real workers then run the whole budget.
        let summary = try await CoordinatorFixture.finish(service, endpoint: endpoint, workers: 2).summary
        #expect(summary.state == .completed)
        #expect(summary.completed == 20)
        let events = try journal.recordedEvents()
        let completed = CoordinatorFixture.completedTrials(events)
        #expect(completed.count == 20 && Set(completed).count == 20)
        #expect(!completed.contains(TrialID(12345)))
        #expect(events.filter { if case .workerJoined = $0 { true } else { false } }.count == 2)
    }

    /// A peer that never sent READY (so declared no objective kinds) and sends a HEARTBEAT claiming a trial must
    /// not become a worker (no `workerJoined`, no TRIAL, no retry burnt when it goes silent); it is told to send
    /// READY first (ERROR `not_ready`).
    @Test func aHeartbeatBeforeReadyDoesNotMakeAWorker() async throws {
        let directory = try CoordinatorFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (service, journal, _, intruder) = try Self.coordinatorAndIntruder(budget: 5, in: directory)
        defer { intruder.close() }
        try intruder.send(Self.frames("hpo/1", "HEARTBEAT", #"{"running": [{"trial_id": 0, "attempt": 1}]}"#))
        var assigned: [TrialAssignment] = []
        var errors: [ErrorReply] = []
        while let reply = try intruder.receive(timeout: .seconds(1)) {
            switch try? WireCodec.decode(reply) {
            case .trial(let assignment)?: assigned.append(assignment)
            case .error(let error)?: errors.append(error)
            default: break
            }
        }
        service.stop(immediately: true)
        _ = await service.finished()
        let joined = try journal.recordedEvents().filter { if case .workerJoined = $0 { true } else { false } }
        #expect(assigned.isEmpty, "a TRIAL went to a peer that declared no objective kinds: \(assigned)")
        #expect(joined.isEmpty, "journal: \(joined)")
        #expect(errors.map(\.code) == [.notReady])
    }
}
