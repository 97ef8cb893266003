import Foundation
import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
import HPOWire
import Logging
import HPOCoordinatorRuntime
import HPOWorkerCore
import HPOWorkerRuntime

/// Helpers for coordinator tests: a study, a journal in a temporary directory, in-process workers.
enum CoordinatorFixture {
    static let space: SearchSpace = try! SearchSpace([
        Parameter(name: "x0", kind: .float(low: -5, high: 10)),
        Parameter(name: "x1", kind: .float(low: 0, high: 15)),
    ])

    static var logger: Logger {
        var logger = Logger(label: "hpo.test.coordinator")
        logger.logLevel = .error
        return logger
    }

    /// A fresh temporary directory (removed by the caller).
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hpo-coordinator-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A configuration with short heartbeats, so fault tests finish quickly.
    static func configuration(kind: String = "null", budget: Int, options: [String: JSONValue] = [:]) -> CoordinatorConfiguration {
        var configuration = CoordinatorConfiguration(objective: ObjectiveDescriptor(kind: kind, options: options))
        configuration.trialBudget = budget
        configuration.heartbeatInterval = .milliseconds(200)
        configuration.liveness = 3
        return configuration
    }

    /// A coordinator service for study `name` with `configuration` (random search with `seed`) writing `journal`,
    /// started on a loopback port; returns it and the endpoint it bound.
    static func startedService(
        _ name: String, _ configuration: CoordinatorConfiguration, journal: any CoordinatorJournal, seed: UInt64 = 1
    ) throws -> (service: CoordinatorService, endpoint: String) {
        let machine = CoordinatorStateMachine(studyName: name, direction: .minimize, space: space, configuration: configuration)
        let service = try CoordinatorService(
            machine: machine, optimizer: RandomSearch(space: space, direction: .minimize, seed: seed),
            journal: journal, logger: logger)
        return (service, try service.start())
    }

    /// Runs `count` in-process workers against `service` (listening at `endpoint`) until the study ends; returns its
    /// summary and how each worker exited.
    static func finish(
        _ service: CoordinatorService, endpoint: String, workers count: Int
    ) async throws -> (summary: StudySummary, exits: [WorkerExit]) {
        let workers = try makeWorkers(count, endpoint: endpoint)
        async let exits = withTaskGroup(of: WorkerExit.self) { group in
            for worker in workers { group.addTask { await worker.runOnDedicatedThread() } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let summary = await service.finished()
        return (summary, await exits)
    }

    /// The trials of `events` that completed, in journal order.
    static func completedTrials(_ events: [JournalEvent]) -> [TrialID] {
        events.compactMap { event -> TrialID? in
            if case .trialCompleted(let trial, _, _, _, _) = event { return trial }
            return nil
        }
    }

    /// `count` in-process workers for `endpoint` (not started).
    static func makeWorkers(_ count: Int, endpoint: String) throws -> [WorkerService] {
        var workers: [WorkerService] = []
        for index in 0..<count {
            var configuration = WorkerConfiguration(endpoint: endpoint, name: "w\(index)")
            configuration.heartbeatInterval = .milliseconds(200)
            configuration.coordinatorTimeout = .seconds(10)
            let worker = try WorkerService(configuration: configuration, logger: logger)
            workers.append(worker)
        }
        return workers
    }
}

/// A journal stored as JSON lines in a real file, flushed with fsync on every append (a test stand-in while the
/// SQLite store is not wired in).
final class JSONLinesJournal: CoordinatorJournal, @unchecked Sendable {
    let path: String
    private let lock = NSLock()

    init(path: String) {
        self.path = path
        _ = FileManager.default.createFile(atPath: path, contents: nil)
    }

    func record(_ events: [JournalEvent]) throws {
        lock.lock()
        defer { lock.unlock() }
        let encoder = JSONEncoder()
        var data = Data()
        for event in events {
            data += try encoder.encode(event)
            data.append(0x0A)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: data)
        try handle.synchronize()
    }

    func recordedEvents() throws -> [JournalEvent] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let decoder = JSONDecoder()
        return try text.split(separator: "\n").map { try decoder.decode(JournalEvent.self, from: Data($0.utf8)) }
    }
}
