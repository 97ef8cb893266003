import Foundation
import HPORuntimeSupport
import HPOWire

/// One trial in a persistent process (docs/objective-protocol.md, *Persistent processes*): routes the process's
/// lines while the trial is in flight and reads its messages on descriptor 4.
///
/// stdout and stderr are never read as reports: they go to the trial's output (its log). Descriptor 4 carries
/// `{"started": …}` and `{"hpo": …}` lines; a final report (no `step`, or an `error`) ends the trial, and messages
/// after it belong to no trial (they go to `idle`).
struct PersistentTrial {
    /// The longest message line, in bytes (1 MiB); a longer one fails the trial.
    static let lineLimit = 1 << 20

    let trialID: Int
    let metric: String
    /// The program's name for failure reasons (argv[0]).
    let program: String
    /// The trial's own lines: `(stream, line)`, to its log and the worker's log.
    let output: (_ stream: String, _ line: String) -> Void
    /// Lines that belong to no trial (messages after the final one), to the worker's log.
    let idle: (_ stream: String, _ line: String) -> Void
    let report: @Sendable (_ step: Int, _ value: Double, _ metrics: [String: Double]) -> Void

    /// When `{"started": …}` arrived.
    private(set) var startedAt: ContinuousClock.Instant?
    /// The final report, once it arrived.
    private(set) var final: CommandReport?
    /// When the final report arrived.
    private(set) var finishedAt: ContinuousClock.Instant?
    /// A message line over ``lineLimit`` arrived (the trial fails, the process is replaced).
    private(set) var overlong = false
    private var stderrTail: [String] = []
    private var lastIntermediate: (step: Int, value: Double)?
    /// The last line on descriptor 4 that was not a protocol message, for the reason of a trial without a final.
    private var ignoredMessage: String?

    init(
        trialID: Int, metric: String, program: String, output: @escaping (_ stream: String, _ line: String) -> Void,
        idle: @escaping (_ stream: String, _ line: String) -> Void,
        report: @escaping @Sendable (_ step: Int, _ value: Double, _ metrics: [String: Double]) -> Void
    ) {
        self.trialID = trialID
        self.metric = metric
        self.program = program
        self.output = output
        self.idle = idle
        self.report = report
    }

    /// Whether the trial has ended (a final report, or a message line over the limit).
    var hasEnded: Bool { final != nil || overlong }

    /// Takes one line of the process. - Returns: true when it ended the trial.
    mutating func handle(_ stream: ChildProcess.Stream, _ line: String) -> Bool {
        switch stream {
        case .stdout, .stderr:
            if stream == .stderr {
                stderrTail.append(line)
                if stderrTail.count > CommandSession.tailLines { stderrTail.removeFirst() }
            }
            output(stream.rawValue, line)
            return false
        case .messages:
            guard !hasEnded else {
                idle(stream.rawValue, "no trial in flight; ignored: \(line.prefix(200))")
                return false
            }
            if line.utf8.count > Self.lineLimit {
                overlong = true
                return true
            }
            return message(line)
        }
    }

    private mutating func message(_ line: String) -> Bool {
        guard let object = CommandReport.parseJSON(line)?.objectValue else {
            return ignore(line, "not a JSON object")
        }
        if object["started"] != nil {
            if startedAt == nil { startedAt = .now }
            return false
        }
        guard let body = object["hpo"] else {
            return ignore(line, "neither {\"started\": …} nor {\"hpo\": …}")
        }
        guard let members = body.objectValue else {
            return ignore(line, "\"hpo\" must be an object like {\"hpo\": {\"\(metric)\": 0.9}}")
        }
        let parsed = CommandReport.report(from: members)
        if !parsed.isFinal, let step = parsed.step {
            if let value = parsed.values[metric], value.isFinite {
                lastIntermediate = (step, value)
                report(step, value, parsed.values.filter { $0.key != metric && $0.value.isFinite })
            }
            return false
        }
        final = parsed
        finishedAt = .now
        return true
    }

    private mutating func ignore(_ line: String, _ why: String) -> Bool {
        ignoredMessage = "a line on descriptor 4 was \(why): \(line.prefix(200))"
        output(ChildProcess.Stream.messages.rawValue, "[hpo] ignored: \(ignoredMessage!)")
        return false
    }

    /// The outcome of a trial that ended with a final report: the `$HPO_RESULT` file, when the program wrote it,
    /// wins over the report's values.
    func outcome(resultPath: String) -> ObjectiveOutcome {
        if overlong {
            return .failed(reason: "\(program) wrote a report line over 1 MiB (\(Self.lineLimit) bytes) on descriptor 4; the process was restarted" + tail)
        }
        guard var final else {
            var reason = "\(program) ended the trial without a final \"\(metric)\""
            if let lastIntermediate { reason += " (its last intermediate report was step \(lastIntermediate.step): \(lastIntermediate.value))" }
            if let ignoredMessage { reason += "; note: \(ignoredMessage)" }
            return .failed(reason: reason + tail)
        }
        if final.error == nil {
            do {
                if let written = try CommandReport.readResultFile(at: resultPath, metric: metric) { final = written }
            } catch {
                return .failed(reason: "\(program) wrote $HPO_RESULT but it cannot be read: \(error)" + tail)
            }
        }
        return final.outcome(metric: metric, program: program, tail: tail)
    }

    /// The stderr tail for failure reasons.
    var tail: String { CommandSession.tailText(stderrTail) }
}
