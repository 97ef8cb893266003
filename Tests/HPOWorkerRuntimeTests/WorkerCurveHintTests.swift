import Foundation
import HPOTestSupport
import HPOZeroMQ
import Logging
import Testing
import HPOWorkerRuntime

/// A worker without `--curve-server-key` facing a coordinator with `--curve` used to say only "lost the connection;
/// reconnecting" (or "is something other than an hpo coordinator listening there?") and exit "is it running and
/// reachable?". Now its log says the handshake failed and names the likely cause, once rather than on every retry.
@Suite(.serialized) struct WorkerCurveHintTests {
    /// Collects log messages from every logger it makes.
    final class CapturedLog: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [(Logger.Level, String)] = []
        func append(_ level: Logger.Level, _ text: String) { lock.withLock { lines.append((level, text)) } }
        var all: [(Logger.Level, String)] { lock.withLock { lines } }
    }

    struct CapturingHandler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { log.append(event.level, "\(event.message)") }
    }

    /// Runs a worker with `configuration` to its end, which must be `coordinatorLost`; returns what it logged (level,
    /// message), or nil (an issue recorded) when it ended another way.
    static func logOfLostWorker(_ configuration: WorkerConfiguration) throws -> [(Logger.Level, String)]? {
        let captured = CapturedLog()
        let logger = Logger(label: "hpo.worker.test") { _ in CapturingHandler(log: captured) }
        let exit = try WorkerService(configuration: configuration, logger: logger).run()
        guard case .coordinatorLost = exit else {
            Issue.record("expected coordinatorLost, got \(exit)")
            return nil
        }
        return captured.all
    }

    @Test func aPlainWorkerFacingACurveCoordinatorIsToldWhy() throws {
        let context = try Context()
        let keys = try ZMQ.curveKeypair()
        let router = try Socket.bound(context, .router, curveSecretKey: keys.secretKey)
        defer { router.close() }

        var configuration = WorkerConfiguration(endpoint: try router.lastEndpoint, name: "plain")
        configuration.heartbeatInterval = .milliseconds(50)
        configuration.coordinatorTimeout = .milliseconds(800)
        configuration.reconnectInterval = .milliseconds(20)
        configuration.reconnectIntervalMax = .milliseconds(50)
        guard let log = try Self.logOfLostWorker(configuration) else { return }
        let warnings = log.filter { $0.0 >= .warning }.map(\.1)
        #expect(warnings.contains { $0.contains("--curve-server-key") }, "warnings: \(warnings)")
        #expect(warnings.filter { $0.contains("handshake") }.count <= 3, "one warning per cause, not one per retry: \(warnings)")
        #expect(!warnings.contains { $0.contains("lost the connection") }, "warnings: \(warnings)")
    }

    /// A worker pointed at nothing said nothing between "connecting" and its exit at --coordinator-timeout (60 s).
    @Test func aWorkerPointedAtNothingSaysItIsStillTrying() throws {
        let probe = try WorkerTestCoordinator()
        let endpoint = probe.endpoint
        probe.router.close()   // a free port with nobody listening
        var configuration = WorkerConfiguration(endpoint: endpoint, name: "lonely")
        configuration.heartbeatInterval = .milliseconds(20)
        configuration.coordinatorTimeout = .milliseconds(700)
        configuration.waitingNoticeInterval = .milliseconds(200)
        guard let log = try Self.logOfLostWorker(configuration) else { return }
        let notices = log.filter { $0.0 == .notice && $0.1.contains("still trying") }
        #expect((1...4).contains(notices.count), "about one per interval, not one per retry: \(notices.map(\.1))")
        #expect(notices.first?.1.contains(endpoint) == true)
    }
}
