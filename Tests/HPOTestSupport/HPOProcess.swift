public import Foundation
import Glibc

/// A running child process for end-to-end tests (by default the built `hpo`): its standard output and error are read
/// to end-of-file as they arrive, its exit is awaited without polling, and its children are listed from /proc.
public final class HPOProcess: @unchecked Sendable {
    /// The underlying process.
    public let process = Process()
    private let output = PipeReader()
    private let errors = PipeReader()
    private let exited = DispatchSemaphore(value: 0)

    /// Starts the built `hpo` binary with `arguments` (`OPENBLAS_NUM_THREADS=1`, plus `environment`).
    public convenience init(_ arguments: [String], environment: [String: String] = [:]) throws {
        try self.init(executable: try HPOBinary.url("hpo"), arguments: arguments, environment: environment)
    }

    /// Starts `executable` with `arguments` in this process's environment less the variables named in `unsetting`,
    /// with `OPENBLAS_NUM_THREADS=1`, plus `environment`.
    public init(
        executable: URL, arguments: [String], environment: [String: String] = [:], unsetting: [String] = []
    ) throws {
        process.executableURL = executable
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for name in unsetting { merged[name] = nil }
        merged["OPENBLAS_NUM_THREADS"] = "1"
        merged.merge(environment) { $1 }
        process.environment = merged
        process.standardOutput = output.pipe
        process.standardError = errors.pipe
        process.standardInput = FileHandle.nullDevice
        let exited = exited
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        output.start()
        errors.start()
    }

    /// The process id.
    public var pid: Int32 { process.processIdentifier }

    /// Standard output read so far (all of it once ``wait(timeout:)`` returned).
    public var standardOutput: String { output.text }

    /// Standard error read so far (all of it once ``wait(timeout:)`` returned).
    public var standardError: String { errors.text }

    /// Whether the process has exited.
    public var hasExited: Bool { !process.isRunning }

    /// Waits until `predicate(stderr)` holds; false after `timeout` seconds, or once the process exited and its
    /// standard error ended without it holding.
    public func waitForStandardError(timeout: TimeInterval, _ predicate: (String) -> Bool) -> Bool {
        waitUntil(seconds: timeout) { predicate(standardError) || errors.isComplete }
        return predicate(standardError)
    }

    /// Waits until `predicate(stdout)` holds; false after `timeout` seconds or at the end of standard output.
    public func waitForStandardOutput(timeout: TimeInterval, _ predicate: (String) -> Bool) -> Bool {
        waitUntil(seconds: timeout) { predicate(standardOutput) || output.isComplete }
        return predicate(standardOutput)
    }

    /// Waits for exit (SIGKILL after `timeout` seconds) and for both pipes to reach end-of-file (at most 5 s more:
    /// a child that inherited them may hold them open). Returns the exit status, nil if it had to be killed.
    @discardableResult
    public func wait(timeout: TimeInterval) -> Int32? {
        var killed = false
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            kill(pid, SIGKILL)
            exited.wait()
            killed = true
        }
        exited.signal()   // Later waits return at once too.
        process.waitUntilExit()
        output.waitForEnd(timeout: .seconds(5))
        errors.waitForEnd(timeout: .seconds(5))
        return killed ? nil : process.terminationStatus
    }

    /// The process ids of its direct children (from /proc).
    public func children() -> [Int32] {
        ProcessTable.children(of: pid)
    }

    /// Sends signal `number` to the process.
    public func signal(_ number: Int32) {
        kill(pid, number)
    }
}

extension HPOProcess {
    /// Runs `executable` to its end (killed after `timeout` seconds) and returns its exit status (nil if it had to be
    /// killed) and everything it wrote; both pipes are read as the process writes, so neither can fill up and block it.
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:], unsetting: [String] = [],
        timeout: TimeInterval = 300
    ) throws -> (status: Int32?, stdout: String, stderr: String) {
        let process = try HPOProcess(
            executable: executable, arguments: arguments, environment: environment, unsetting: unsetting)
        let status = process.wait(timeout: timeout)
        return (status, process.standardOutput, process.standardError)
    }

    /// Runs the built `hpo` with `arguments` to its end, as ``run(_:_:environment:unsetting:timeout:)`` does.
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 300
    ) throws -> (status: Int32?, stdout: String, stderr: String) {
        try run(try HPOBinary.url("hpo"), arguments, environment: environment, timeout: timeout)
    }
}

extension HPOProcess {
    /// The endpoint an `hpo coordinator` printed on its first line of standard error ("listening on …").
    ///
    /// - Throws: ``TestSupportError`` with its standard error when the line did not come within `timeout` seconds.
    public func listeningEndpoint(timeout: TimeInterval = 20) throws -> String {
        guard waitForStandardError(timeout: timeout, { $0.contains("listening on ") }),
              let line = standardError.split(separator: "\n").first(where: { $0.contains("listening on ") }),
              let endpoint = line.split(separator: " ").last
        else {
            throw TestSupportError("the coordinator never said where it listens; stderr: \(standardError)")
        }
        return String(endpoint)
    }
}
