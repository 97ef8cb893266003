import Foundation
import HPORuntimeSupport
import HPOSearchSpace
import HPOTestSupport
import HPOWire
import Synchronization
import Testing
import HPOObjectives

/// The persistent `command` objective with a real Python fixture (Scripts/persistent.py, stdlib only, raw protocol
/// lines on descriptors 3 and 4) in real processes. Trials run on a long-lived thread of their own, as the
/// worker's slots do (`PR_SET_PDEATHSIG` is per thread).
@Suite struct PersistentCommandObjectiveTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/persistent.py").path

    /// One trial's outcome and the lines that reached its own output (its trial log).
    struct Run {
        var outcome: ObjectiveOutcome
        var lines: [String]
        var seconds: Double

        var metrics: [String: Double] {
            if case .completed(_, let metrics) = outcome { metrics } else { [:] }
        }
        var pid: Int32? { metrics["pid"].map { Int32($0) } }
        var reason: String {
            switch outcome {
            case .failed(let reason), .stopped(let reason): reason
            case .completed: ""
            }
        }
    }

    /// A long-lived thread that runs trials one at a time, like one worker slot.
    final class Slot: Sendable {
        let thread = SerialThread(name: "test-persistent-slot")
        deinit { thread.close() }

        func run(
            _ objective: any Objective, trial: Int, x: Double = 0.5, slot: Int = 0, device: String? = nil,
            stop: StopSignal = StopSignal(),
            onReport: @escaping @Sendable (StopSignal) -> Void = { _ in }
        ) -> Run {
            let result = Mutex<Run?>(nil)
            let done = DispatchSemaphore(value: 0)
            thread.submit {
                let lines = Mutex<[String]>([])
                var context = TrialContext(
                    trialID: trial, attempt: 1, parameters: ["x": .double(x)], stop: stop,
                    placement: TrialPlacement(slot: slot, device: device))
                context.output = { stream, line in lines.withLock { $0.append("\(stream): \(line)") } }
                let started = ContinuousClock.now
                let outcome = objective.run(context) { _, _, _ in onReport(stop) }
                let run = Run(outcome: outcome, lines: lines.withLock { $0 }, seconds: (ContinuousClock.now - started).seconds)
                result.withLock { $0 = run }
                done.signal()
            }
            done.wait()
            return result.withLock { $0! }
        }
    }

    func objective(_ mode: String, _ target: Int? = nil, _ extra: [String: JSONValue] = [:]) throws -> any Objective {
        var argv: [JSONValue] = [.string("python3"), .string(Self.script), .string(mode)]
        if let target { argv.append(.string("\(target)")) }
        var options: [String: JSONValue] = ["argv": .array(argv), "persistent": .bool(true)]
        options.merge(extra) { _, new in new }
        return try ObjectiveFactory.make(ObjectiveDescriptor(kind: "command", options: options))
    }

    func groupGone(_ pid: Int32?) -> Bool {
        guard let pid else { return false }
        return waitUntil(timeout: .seconds(5)) { ProcessTable.liveProcesses(inGroup: pid).isEmpty }
    }

    @Test func oneProcessServesManyTrialsAndStrayOutputIsNeverAReport() throws {
        let objective = try objective("stray")
        defer { objective.close() }
        #expect(objective is PersistentCommandObjective)
        let slot = Slot()
        let runs = (0..<4).map { slot.run(objective, trial: $0, x: Double($0) / 10) }
        for (trial, run) in runs.enumerated() {
            guard case .completed(let value, let metrics) = run.outcome else {
                Issue.record("trial \(trial): \(run.outcome)")
                continue
            }
            #expect(value == Double(trial) / 10, "the stray {\"hpo\": …} line on stdout became the report")
            #expect(metrics["protocol_ok"] == 1, "environment or trial message not as the protocol says")
            #expect(metrics["hpo_start_overhead_ms"] != nil && metrics["hpo_finish_overhead_ms"] != nil)
            // Each trial's output holds its own lines, stray report-like lines included, and nobody else's.
            #expect(run.lines.contains("stdout: stdout of trial \(trial)"))
            #expect(run.lines.contains("stderr: stderr of trial \(trial)"))
            #expect(run.lines.contains("stdout: {\"hpo\": {\"accuracy\": 123}}"))
            #expect(!run.lines.contains { $0.contains("of trial") && !$0.hasSuffix("of trial \(trial)") }, "\(run.lines)")
        }
        #expect(Set(runs.compactMap(\.pid)).count == 1, "pids: \(runs.map(\.pid))")
        // The program holds descriptors 0–4 and nothing else of the worker's.
        let pid = try #require(runs.first?.pid)
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").compactMap(Int.init).sorted()
        #expect(descriptors == [0, 1, 2, 3, 4])
    }

    @Test func aCrashFailsOnlyItsTrialAndTheNextTrialGetsAFreshProcess() throws {
        let objective = try objective("crash", 1)
        defer { objective.close() }
        let slot = Slot()
        let first = slot.run(objective, trial: 0), crashed = slot.run(objective, trial: 1), next = slot.run(objective, trial: 2)
        #expect(first.pid != nil && next.pid != nil && first.pid != next.pid)
        #expect(crashed.reason.contains("python3 exited with status 3 during trial 1 (persistent process \(first.pid ?? 0))"), "\(crashed.outcome)")
        #expect(crashed.reason.contains("stderr of trial 1"))
        #expect(groupGone(first.pid))
    }

    @Test func aTrialPastItsTimeoutIsKilledAndTheStudyGoesOn() throws {
        // The timeout counts from the trial message, which a fresh process reads once Python has started: 5 s
        // leaves a loaded machine room for that.
        let objective = try objective("hang", 1, ["timeout": .string("5s"), "grace_period": .string("200ms")])
        defer { objective.close() }
        let slot = Slot()
        let first = slot.run(objective, trial: 0), hung = slot.run(objective, trial: 1), next = slot.run(objective, trial: 2)
        #expect(first.pid != nil, "\(first.outcome)")
        #expect(hung.reason.contains("timed out after"), "\(hung.outcome)")
        #expect(hung.reason.contains("(timeout 5.0s)"))
        #expect(groupGone(first.pid))
        #expect(next.pid != nil && next.pid != first.pid, "\(next.outcome)")
    }

    @Test func aProgramThatIgnoresAStopIsKilledAfterTheGracePeriod() throws {
        let objective = try objective("ignore-stop", nil, ["grace_period": .string("300ms")])
        defer { objective.close() }
        let slot = Slot()
        let stopped = slot.run(objective, trial: 0) { $0.request(reason: "pruned at step 1: test") }
        #expect(stopped.outcome == .stopped(reason: "pruned at step 1: test"))
        #expect(stopped.seconds >= 0.3, "killed before the grace period ended")
        let persistent = try #require(objective as? PersistentCommandObjective)
        #expect(persistent.processIDs.isEmpty, "the process that ignored the stop is still the slot's")
    }

    @Test func aProgramThatHonoursAStopKeepsServing() throws {
        let objective = try objective("cooperative", 0, ["grace_period": .string("20s")])
        defer { objective.close() }
        let slot = Slot()
        let stopped = slot.run(objective, trial: 0) { $0.request(reason: "pruned at step 1: test") }
        #expect(stopped.outcome == .stopped(reason: "pruned at step 1: test"))
        #expect(stopped.lines.contains("stdout: stop seen: pruned at step 1: test; file: True"), "\(stopped.lines)")
        let persistent = try #require(objective as? PersistentCommandObjective)
        let pid = try #require(persistent.processIDs[0])
        let next = slot.run(objective, trial: 1)
        #expect(next.pid == pid, "a cooperative stop cost the process")
    }

    @Test func maxTrialsPerProcessRestartsTheProcessEveryNTrials() throws {
        let objective = try objective("trivial", nil, ["max_trials_per_process": .number(3)])
        defer { objective.close() }
        let slot = Slot()
        let runs = (0..<7).map { slot.run(objective, trial: $0) }
        let pids = runs.map(\.pid)
        #expect(pids.allSatisfy { $0 != nil }, "\(runs.map(\.outcome))")
        #expect(Set(pids).count == 3, "7 trials, 3 per process: \(pids)")
        #expect(pids[0] == pids[2] && pids[2] != pids[3] && pids[3] == pids[5] && pids[5] != pids[6])
        #expect(groupGone(pids[0]) && groupGone(pids[3]))
    }

    @Test func repeatedCrashesOfFreshProcessesBackOffAndSaySo() throws {
        let objective = try objective("always-crash")
        defer { objective.close() }
        let slot = Slot()
        let runs = (0..<4).map { slot.run(objective, trial: $0) }
        #expect(runs[0].reason.contains("python3 exited with status 1 during trial 0"), "\(runs[0].outcome)")
        #expect(runs[0].reason.contains("cannot start: missing checkpoint"))
        #expect(!runs[1].reason.contains("in a row"))
        #expect(runs[2].reason.hasPrefix("the persistent process crashed 3 times in a row before finishing a trial (last: python3 exited with status 1"), "\(runs[2].reason)")
        #expect(runs[2].reason.contains("fix the script"))
        #expect(runs[3].reason.contains("crashed 4 times in a row"))
        #expect(runs[3].seconds >= 1, "the fourth start did not wait its 1 s back-off")
        // A stopped trial does not wait out the back-off.
        let stop = StopSignal()
        stop.request(reason: "cancelled")
        #expect(slot.run(objective, trial: 4, stop: stop).outcome == .stopped(reason: "cancelled"))
    }

    @Test func anErrorReportFailsTheTrialInBothModes() throws {
        let objective = try objective("error")
        defer { objective.close() }
        let slot = Slot()
        let persistent = slot.run(objective, trial: 0)
        #expect(persistent.reason.hasPrefix("python3 reported an error: ValueError: bad lr"), "\(persistent.outcome)")
        #expect(slot.run(objective, trial: 1).reason.hasPrefix("python3 reported an error"))
        #expect(try #require(objective as? PersistentCommandObjective).processIDs.count == 1, "an error report cost the process")
        let perTrial = try CommandObjective(options: [
            "argv": .array([.string("/bin/sh"), .string("-c"), .string(#"echo '{"hpo": {"error": "RuntimeError: out of memory"}}'"#)]),
        ])
        let outcome = perTrial.run(TrialContext(trialID: 0, attempt: 1, parameters: [:])) { _, _, _ in }
        #expect(outcome == .failed(reason: "/bin/sh reported an error: RuntimeError: out of memory; stderr was empty"))
    }

    @Test func aReportLineOverOneMebibyteFailsTheTrialAndReplacesTheProcess() throws {
        let objective = try objective("overlong", 1)
        defer { objective.close() }
        let slot = Slot()
        let first = slot.run(objective, trial: 0), overlong = slot.run(objective, trial: 1), next = slot.run(objective, trial: 2)
        #expect(overlong.reason.contains("wrote a report line over 1 MiB"), "\(overlong.outcome)")
        #expect(next.pid != nil && next.pid != first.pid)
    }

    @Test func closeEndsTheProcessesThroughEndOfFile() throws {
        let objective = try objective("trivial", nil, ["grace_period": .string("20s")])
        let (slot0, slot1) = (Slot(), Slot())
        let runs = [slot0.run(objective, trial: 0, slot: 0, device: "6"), slot1.run(objective, trial: 1, slot: 1, device: "7")]
        let pids = runs.map(\.pid)
        #expect(pids.allSatisfy { $0 != nil } && pids[0] != pids[1])
        // Each slot's process has the slot's index and device in its environment.
        #expect(runs.map { $0.metrics["slot"] } == [0, 1] && runs.map { $0.metrics["device"] } == [6, 7], "\(runs.map(\.outcome))")
        let started = ContinuousClock.now
        objective.close()
        #expect((ContinuousClock.now - started) < .seconds(20), "close waited the grace period: end of file was not seen")
        #expect(pids.allSatisfy { groupGone($0) })
    }

    @Test func closeKillsAProcessThatIgnoresEndOfFileAfterTheGracePeriod() throws {
        let objective = try objective("ignore-eof", nil, ["grace_period": .string("300ms")])
        let slot = Slot()
        let pid = slot.run(objective, trial: 0).pid
        #expect(pid != nil)
        let started = ContinuousClock.now
        objective.close()
        #expect((ContinuousClock.now - started) >= .milliseconds(300), "close did not wait the grace period")
        #expect(groupGone(pid))
    }
}
