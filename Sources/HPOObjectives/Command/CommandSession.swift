import Foundation
import HPOZeroMQ

#if canImport(Glibc)
import Glibc
import HPORuntimeSupport
#endif

/// One command trial from spawn to outcome: reads output, forwards reports, enforces timeout and stop.
struct CommandSession {
    let metric: String
    let trialID: Int
    let output: CommandObjective.OutputHandler
    let report: @Sendable (_ step: Int, _ value: Double, _ metrics: [String: Double]) -> Void

    private var finalReport: CommandReport?
    private var malformedLine: String?
    private var stderrTail: [String] = []
    private var lastIntermediate: (step: Int, value: Double)?

    /// Lines of stderr kept for failure reasons.
    static let tailLines = 12

    init(
        metric: String, trialID: Int, output: @escaping CommandObjective.OutputHandler,
        report: @escaping @Sendable (_ step: Int, _ value: Double, _ metrics: [String: Double]) -> Void
    ) {
        self.metric = metric
        self.trialID = trialID
        self.output = output
        self.report = report
    }

    mutating func run(
        argv: [String], environment: [String: String], workingDirectory: String?, timeout: Duration?, stopping: Stopping,
        stop: StopSignal, resultPath: String
    ) -> ObjectiveOutcome {
        // A stop request rings this doorbell, which the wait below polls with the pipes and the child's pidfd.
        let doorbell: WakeUpSignal
        do {
            doorbell = try WakeUpSignal()
        } catch {
            return .failed(reason: "cannot create an eventfd to watch for stop requests: \(error); the worker may be out of file descriptors")
        }
        let process: ChildProcess
        do {
            var options = ChildProcess.Options()
            options.workingDirectory = workingDirectory
            options.diesWithParent = true   // this thread waits for it below
            process = try ChildProcess(argv: argv, environment: environment, options: options)
        } catch {
            return .failed(reason: error.description)
        }
        stop.onRequest { _ in doorbell.ring() }
        let clock = ContinuousClock()
        let started = clock.now
        switch process.wait(until: timeout.map { started + $0 }, interrupt: doorbell.fileDescriptor, line: { handle($0, $1) }) {
        case .interrupted:
            let reason = stop.reason ?? "stop requested"
            stopping.stop(process, reason: reason) { handle($0, $1) }
            return .stopped(reason: reason)
        case .deadline:
            process.terminate(grace: stopping.gracePeriod) { handle($0, $1) }
            return .failed(reason: "\(argv[0]) timed out after \(Self.seconds(clock.now - started)) (timeout \(Self.seconds(timeout ?? .zero))); raise timeout or shorten the trial" + tailText())
        case .exited:
            // Kill what the leader left in its group, and read the pipes to their end.
            let termination = process.finish { handle($0, $1) }
            return outcome(termination, program: argv[0], resultPath: resultPath)
        }
    }

    private mutating func handle(_ stream: ChildProcess.Stream, _ line: String) {
        if stream == .stderr {
            stderrTail.append(line)
            if stderrTail.count > Self.tailLines { stderrTail.removeFirst() }
            output(trialID, stream.rawValue, line)
            return
        }
        let parsed: CommandReport?
        do {
            parsed = try CommandReport.parse(line: line)
        } catch {
            malformedLine = error.description
            output(trialID, stream.rawValue, line)
            return
        }
        guard let parsed else {
            output(trialID, stream.rawValue, line)
            return
        }
        if let step = parsed.step, !parsed.isFinal {
            guard let value = parsed.values[metric], value.isFinite else { return }
            lastIntermediate = (step, value)
            report(step, value, parsed.values.filter { $0.key != metric && $0.value.isFinite })
        } else {
            finalReport = parsed
        }
    }

    private func outcome(_ termination: ChildProcess.Termination, program: String, resultPath: String) -> ObjectiveOutcome {
        if let finalReport, finalReport.error != nil {
            // The program's own reason says more than its exit status.
            return finalReport.outcome(metric: metric, program: program, tail: tailText())
        }
        if termination != .exited(0) {
            return .failed(reason: "\(program) \(Self.describe(termination))" + tailText())
        }
        var final = finalReport
        do {
            if let written = try CommandReport.readResultFile(at: resultPath, metric: metric) { final = written }
        } catch {
            return .failed(reason: "\(program) wrote $HPO_RESULT but it cannot be read: \(error)" + tailText())
        }
        guard let final else {
            var reason = "\(program) exited 0 without a final \"\(metric)\": print {\"hpo\": {\"\(metric)\": <value>}} as a line on stdout, or write it to $HPO_RESULT"
            if let lastIntermediate { reason += " (its last intermediate report was step \(lastIntermediate.step): \(lastIntermediate.value))" }
            if let malformedLine { reason += "; note: \(malformedLine)" }
            return .failed(reason: reason + tailText())
        }
        return final.outcome(metric: metric, program: program, tail: tailText())
    }

    private func tailText() -> String { Self.tailText(stderrTail) }

    /// `; last stderr lines:` and `lines` (at most 2000 characters), or `; stderr was empty`.
    static func tailText(_ stderrTail: [String]) -> String {
        guard !stderrTail.isEmpty else { return "; stderr was empty" }
        var text = stderrTail.joined(separator: "\n")
        if text.count > 2000 { text = "…" + text.suffix(2000) }
        return "; last stderr lines:\n" + text
    }

    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let value = Double(seconds) + Double(attoseconds) / 1e18
        return String(format: "%.1fs", value)
    }

    /// How a process ended, for failure reasons: `exited with status 3`, `was killed by signal 9 (SIGKILL, …)`.
    static func describe(_ termination: ChildProcess.Termination) -> String {
        switch termination {
        case .signaled(let signal): "was killed by signal \(signal) (\(signalName(signal)))"
        case .exited(let status): "exited with status \(status)"
        }
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGKILL: "SIGKILL, e.g. out of memory"
        case SIGTERM: "SIGTERM"
        case SIGSEGV: "SIGSEGV, a crash"
        case SIGABRT: "SIGABRT, an abort"
        case SIGINT: "SIGINT"
        case SIGBUS: "SIGBUS"
        case SIGFPE: "SIGFPE"
        default: "signal \(signal)"
        }
    }
}
