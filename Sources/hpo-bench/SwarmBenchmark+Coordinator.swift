import Foundation
import Glibc

/// The `hpo coordinator` child process the swarm runs against: a null-objective study on 127.0.0.1 with a 1 s
/// heartbeat, its journal in a temporary directory.
final class SwarmCoordinator {
    let process = Process()
    /// Where it listens (`tcp://127.0.0.1:<port>`).
    let endpoint: String
    private let log: URL

    /// Writes the study (`trials` null trials, heartbeat 1 s × 5) and starts the coordinator; waits (at most 30 s)
    /// until it says where it listens.
    init(directory: URL, name: String, trials: Int) throws {
        let study = directory.appendingPathComponent("\(name).yaml")
        try """
            name: swarm-\(name)
            direction: minimize
            metric: value
            space:
              x: {type: float, low: 0, high: 1}
            objective:
              kind: null
            optimizer:
              kind: random
              seed: 1
            budget:
              trials: \(trials)
            heartbeat:
              interval: 1s
              liveness: 5
            """.write(to: study, atomically: true, encoding: .utf8)
        log = directory.appendingPathComponent("coordinator.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)  // failure: FileHandle(forWritingTo:) below throws
        process.executableURL = URL(fileURLWithPath: try HPOExecutable.built())
        // Port 0: the kernel picks a free port, and the coordinator's first line says which.
        process.arguments = ["coordinator", study.path, "--bind", "tcp://127.0.0.1:0", "--log-level", "warning"]
        process.environment = HPOExecutable.environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        var listening: Substring?
        while listening == nil {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            listening = text.split(separator: "\n").first { $0.hasPrefix("listening on ") }?.split(separator: " ").last
            guard listening != nil || (process.isRunning && ContinuousClock.now < deadline) else {
                throw SwarmError("hpo coordinator did not start listening within 30 s: \(text.suffix(600))")
            }
            // The child announces itself only on standard error, which goes to a file here.
            if listening == nil { Thread.sleep(forTimeInterval: 0.02) }
        }
        endpoint = String(listening!)
    }

    /// CPU time the coordinator used so far (utime + stime from /proc/PID/stat).
    func cpuTime() throws -> Duration {
        let pid = process.processIdentifier
        guard let used = ProcessCPUTime.of(pid) else {
            throw SwarmError("cannot read utime/stime of the coordinator (pid \(pid)) from /proc/\(pid)/stat: \(tail())")
        }
        return used
    }

    /// The last 600 characters of its standard error.
    func tail() -> String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return String(text.suffix(600))
    }

    /// Kills the coordinator (the study is throwaway) and reaps it.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// The process's resource limits and CPU time.
enum SwarmLimits {
    /// Raises the soft open-file limit to fit `workers` connections on both sides (the coordinator inherits it).
    ///
    /// - Returns: the soft limit now in force.
    /// - Throws: ``SwarmError`` when the hard limit is too low; raise it (`ulimit -Hn`) or use fewer workers.
    static func raiseOpenFiles(toFit workers: Int) throws -> Int {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        // Per DEALER: its TCP connection and its mailbox's eventfd; plus headroom for the process itself.
        let needed = rlim_t(3 * workers + 256)
        if limit.rlim_cur < needed {
            guard limit.rlim_max >= needed else {
                throw SwarmError("\(workers) workers need \(needed) open files, the hard limit is \(limit.rlim_max); raise it (ulimit -Hn) or pass fewer --workers")
            }
            limit.rlim_cur = needed
            guard setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else {
                throw SwarmError("setrlimit(RLIMIT_NOFILE, \(needed)) failed: \(String(cString: strerror(errno)))")
            }
        }
        return Int(limit.rlim_cur)
    }

    /// CPU time this process used so far (user + system).
    static func ownCPUTime() -> Duration {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func duration(_ time: timeval) -> Duration { .seconds(time.tv_sec) + .microseconds(time.tv_usec) }
        return duration(usage.ru_utime) + duration(usage.ru_stime)
    }
}
