import Foundation
import Glibc
import Testing

/// A running `hpo` process for end-to-end tests: output captured as it arrives, children listed from /proc.
final class HPOProcess: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var stdoutData = Data()
    private var stderrData = Data()

    /// Starts the built `hpo` binary with `arguments`.
    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = try EndToEnd.hpoExecutable()
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged["OPENBLAS_NUM_THREADS"] = "1"
        merged.merge(environment) { $1 }
        process.environment = merged
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        out.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.lock.lock()
            self.stdoutData += data
            self.lock.unlock()
        }
        err.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.lock.lock()
            self.stderrData += data
            self.lock.unlock()
        }
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    var standardOutput: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: stdoutData, as: UTF8.self)
    }

    var standardError: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: stderrData, as: UTF8.self)
    }

    /// Waits until `predicate(stderr)` holds; false after `timeout` seconds.
    func waitForStandardError(timeout: TimeInterval, _ predicate: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if predicate(standardError) { return true }
            if !process.isRunning { return predicate(standardError) }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    /// Waits for exit (SIGKILL after `timeout` seconds); returns the exit status (nil if it had to be killed).
    @discardableResult
    func wait(timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        if process.isRunning {
            kill(pid, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        process.waitUntilExit()
        // Let the pipes drain.
        Thread.sleep(forTimeInterval: 0.05)
        return process.terminationStatus
    }

    /// The process ids of its direct children (from /proc).
    func children() -> [Int32] {
        EndToEnd.children(of: pid)
    }

    func signal(_ number: Int32) {
        kill(pid, number)
    }
}

enum EndToEnd {
    static func hpoExecutable() throws -> URL {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        if directory.path.hasSuffix(".xctest") {
            directory = directory.deletingLastPathComponent()
        }
        let candidate = directory.appendingPathComponent("hpo")
        try #require(FileManager.default.isExecutableFile(atPath: candidate.path), "build hpo first: \(candidate.path)")
        return candidate
    }

    /// Children of every thread of `pid` (a child belongs to the thread that spawned it).
    static func children(of pid: Int32) -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.flatMap { task -> [Int32] in
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8) else { return [] }
            return text.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }.sorted()
    }

    /// Whether `pid` is a live process (not gone, not a zombie).
    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        guard let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    /// Waits until none of `pids` is alive; false after `timeout` seconds.
    static func waitUntilGone(_ pids: [Int32], timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !pids.contains(where: isAlive) { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return !pids.contains(where: isAlive)
    }

    /// A fresh temporary directory.
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hpo-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes a Branin study file; returns its path. The journal is `<name>.db` next to it.
    static func studyFile(
        in directory: URL, name: String = "e2e", trials: Int, duration: Double, optimizer: String = "random",
        batchMode: String = "async", seed: Int = 7, startupTrials: Int = 4, heartbeat: String = "200ms",
        extra: String = ""
    ) throws -> String {
        let yaml = """
            name: \(name)
            direction: minimize
            metric: value
            space:
              x0: {type: float, low: -5, high: 10}
              x1: {type: float, low: 0, high: 15}
            objective:
              kind: test-function
              function: branin
              duration: \(duration)
            optimizer:
              kind: \(optimizer)
              seed: \(seed)
              startup_trials: \(startupTrials)
              batch_mode: \(batchMode)
            budget:
              trials: \(trials)
            heartbeat:
              interval: \(heartbeat)
              liveness: 3
            \(extra)
            """
        let path = directory.appendingPathComponent("\(name).yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The JSON report printed by `hpo run --json`.
    struct Report: Decodable {
        struct Trial: Decodable {
            var id: Int
            var parameters: [String: Double]
            var state: String
            var value: Double?
            var attempts: Int
        }

        var state: String
        var completed: Int
        var failed: Int
        var trials: [Trial]
        var best: Trial?
    }

    static func report(_ text: String) throws -> Report {
        try JSONDecoder().decode(Report.self, from: Data(text.utf8))
    }

    /// The ids of trials logged as completed on standard error (non-terminal log lines).
    static func completedTrialIDs(in log: String) -> [Int] {
        log.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: "] trial "), line.contains(" completed: ") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }
    }
}
