import Foundation
import HPOCoordinatorCore
import HPOOptimizer
import HPOCoordinatorRuntime
import HPOOutput
import HPOObjectives
import HPOStudyFile
import HPOTestSupport
import HPOWire
import Testing

/// Early stopping end to end: `hpo run` with real worker processes, the PRUNE reaching them, the journal showing it.
@Suite(.serialized, .scratchDirectory("e2e")) struct EndToEndPruningTests {
    private func events(_ journal: String) throws -> [JournalEvent] {
        try JournalStore<JournalEvent>(path: journal, mode: .readOnly).readAll().map(\.event)
    }

    private func pruned(_ events: [JournalEvent]) -> [(trial: Int, step: Int, value: Double)] {
        events.compactMap { event in
            if case .trialPruned(let id, _, let step, let value, _) = event { (id.rawValue, step, value) } else { nil }
        }
    }

    /// Writes `<name>.yaml`: a random-search digits MLP study with ASHA (η 3) from epoch 1 to `epochs`.
    private func mlpStudy(in directory: URL, name: String, hidden: Int, epochs: Int, trials: Int, seed: Int) throws -> String {
        let study = directory.appendingPathComponent("\(name).yaml").path
        try """
            name: \(name)
            space:
              lr: {type: float, low: 0.00001, high: 1.0, log: true}
              batch_size: {type: int, low: 16, high: 128}
            objective: {kind: mlp, dataset: digits, hidden: [\(hidden)], epochs: \(epochs)}
            optimizer: {kind: random, seed: \(seed)}
            budget: {trials: \(trials)}
            pruner: {kind: asha, reduction_factor: 3, min_resource: 1, max_resource: \(epochs)}
            """.write(toFile: study, atomically: true, encoding: .utf8)
        return study
    }

    @Test func anMLPStudyWithASHAPrunesSomeTrialsAndTheJournalShowsIt() throws {
        let directory = try ScratchDirectory.current()
        let study = try mlpStudy(in: directory, name: "asha", hidden: 16, epochs: 9, trials: 12, seed: 3)
        let run = try HPOProcess(["run", study, "--workers", "2", "--json"])
        #expect(run.wait(timeout: 180) == 0, "stderr: \(run.standardError)")
        let journal = try events(directory.appendingPathComponent("asha.db").path)
        let prunes = pruned(journal)
        #expect(!prunes.isEmpty, "no trial was pruned")
        // Pruned only at rungs (steps 1 and 3), never completed, once each.
        #expect(prunes.allSatisfy { [1, 3].contains($0.step) })
        let completed = Set(journal.compactMap { if case .trialCompleted(let id, _, _, _, _) = $0 { id.rawValue } else { nil } })
        #expect(completed.isDisjoint(with: prunes.map(\.trial)))
        #expect(Set(prunes.map(\.trial)).count == prunes.count)
        #expect(completed.count + prunes.count == 12)   // pruned trials count toward the budget
        // Each pruned trial's journaled curve ends at its pruned step.
        for prune in prunes {
            let steps = journal.compactMap { event -> Int? in
                if case .trialProgress(let id, _, let step, _) = event, id.rawValue == prune.trial { step } else { nil }
            }
            #expect(steps.last == prune.step, "trial \(prune.trial): rows at \(steps)")
        }
        let report = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any]
        #expect(report?["pruned"] as? Int == prunes.count, "\(run.standardOutput)")
        #expect((report?["steps_saved"] as? Int ?? 0) > 0)
        // hpo show --curves: every journaled row, as CSV and as JSON.
        let csv = try HPOProcess(["show", "--curves", directory.appendingPathComponent("asha.db").path])
        #expect(csv.wait(timeout: 30) == 0)
        let rows = csv.standardOutput.split(separator: "\n")
        #expect(rows.first == "trial,step,value")
        let progressRows = journal.filter { if case .trialProgress = $0 { true } else { false } }.count
        #expect(rows.count - 1 == progressRows)
        let json = try HPOProcess(["show", "--curves", "--format", "json", directory.appendingPathComponent("asha.db").path])
        #expect(json.wait(timeout: 30) == 0)
        let points = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [[String: Any]]
        #expect(points?.count == progressRows)
        for prune in prunes {
            let last = points?.last { $0["trial"] as? Int == prune.trial }
            // Foundation's JSON reader may round the last digit: compare the printed value with a tolerance.
            #expect(last?["step"] as? Int == prune.step && abs((last?["value"] as? Double ?? .nan) - prune.value) < 1e-12)
        }
        let show = try HPOProcess(["show", directory.appendingPathComponent("asha.db").path])
        #expect(show.wait(timeout: 30) == 0)
        #expect(show.standardOutput.contains("pruned"), "\(show.standardOutput)")
    }

    @Test func aCoordinatorKilledMidStudyResumesWithoutPruningOrPromotingAnyTrialTwice() throws {
        let directory = try ScratchDirectory.current()
        let study = try mlpStudy(in: directory, name: "resume", hidden: 32, epochs: 27, trials: 24, seed: 5)
        let first = try HPOProcess(["run", study, "--workers", "2"])
        #expect(first.waitForStandardError(timeout: 60) { $0.components(separatedBy: " pruned at step ").count > 3 })
        let workers = first.children()
        first.signal(SIGKILL)
        first.wait(timeout: 5)
        #expect(EndToEnd.waitUntilGone(workers, timeout: 5))
        workers.forEach { kill($0, SIGKILL) }
        let journalPath = directory.appendingPathComponent("resume.db").path
        let prunedBefore = pruned(try events(journalPath)).map(\.trial)
        #expect(prunedBefore.count >= 3)

        let second = try HPOProcess(["run", study, "--workers", "2", "--resume", "--json"])
        #expect(second.wait(timeout: 120) == 0, "stderr: \(second.standardError)")
        let journal = try events(journalPath)
        let prunes = pruned(journal).map(\.trial)
        // Nothing pruned twice, no pruned trial completed, and what was pruned before the kill stays pruned.
        #expect(Set(prunes).count == prunes.count, "pruned twice: \(prunes)")
        #expect(Set(prunedBefore).isSubset(of: Set(prunes)))
        let completed = Set(journal.compactMap { if case .trialCompleted(let id, _, _, _, _) = $0 { id.rawValue } else { nil } })
        #expect(completed.isDisjoint(with: prunes))
        #expect(completed.count + prunes.count == 24)
        // The second session's pruner was rebuilt from the journal: replaying it all rebuilds one value per trial
        // and rung, however many attempts reported there.
        let replayed = try CoordinatorStateMachine.replay(
            journal, studyName: "resume", direction: .maximize,
            space: try StudyConfig.load(contentsOf: study, checksObjective: false).space,
            configuration: {
                var configuration = CoordinatorConfiguration(objective: ObjectiveDescriptor(kind: "mlp", options: [:]))
                configuration.pruner = .asha(reductionFactor: 3, minResource: 1, maxResource: 27, minEarlyStoppingRate: 0)
                return configuration
            }(), now: .now)
        let asha = try #require(replayed.machine.pruner as? ASHAPruner)
        let trialsAtRungZero = Set(journal.compactMap { if case .trialProgress(let id, _, let step, _) = $0, step >= 1 { id.rawValue } else { nil } })
        #expect(asha.rungs.first?.visible.count == trialsAtRungZero.count)
    }

    /// A two-trial command study: trial 0 reports 0.9 then completes at step 2; trial 1 reports 0.1 at step 1, is
    /// pruned (ASHA η = 2), and then runs `behaviour`.
    private func commandStudy(in directory: URL, behaviour: String, objectiveExtra: String) throws -> (study: String, seconds: Double, run: HPOProcess) {
        let script = directory.appendingPathComponent("train.sh").path
        try """
            if [ "$HPO_TRIAL_ID" = "0" ]; then
              echo '{"hpo": {"step": 1, "accuracy": 0.9}}'
              echo '{"hpo": {"step": 2, "accuracy": 0.95}}'
              echo '{"hpo": {"accuracy": 0.95}}'
              exit 0
            fi
            echo $$ > "$OUT/pgid"
            echo '{"hpo": {"step": 1, "accuracy": 0.1}}'
            \(behaviour)
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let study = directory.appendingPathComponent("cmd.yaml").path
        try """
            name: cmd
            space: {x: {type: float, low: 0, high: 1}}
            objective: {kind: command, argv: [bash, \(script)], env: {OUT: \(directory.path)}\(objectiveExtra)}
            optimizer: {kind: random, seed: 1}
            budget: {trials: 2}
            pruner: {kind: asha, reduction_factor: 2, min_resource: 1, max_resource: 2}
            heartbeat: {interval: 200ms, liveness: 10}
            """.write(toFile: study, atomically: true, encoding: .utf8)
        let started = Date()
        let run = try HPOProcess(["run", study, "--workers", "1"])
        #expect(run.wait(timeout: 120) == 0, "stderr: \(run.standardError)")
        return (study, Date().timeIntervalSince(started), run)
    }

    @Test func aPrunedScriptThatIgnoresSIGTERMIsKilledAfterTheGracePeriod() throws {
        let directory = try ScratchDirectory.current()
        let (_, seconds, _) = try commandStudy(
            in: directory,
            behaviour: """
                trap '' TERM
                (trap '' TERM; sleep 300) &   # real time: a child that ignores SIGTERM must outlive the grace period
                wait
                """,
            objectiveExtra: ", grace_period: 0.5s")
        let journal = try events(directory.appendingPathComponent("cmd.db").path)
        #expect(pruned(journal).map(\.trial) == [1])
        #expect(pruned(journal).first.map { $0.step == 1 && $0.value == 0.1 } == true)
        let group = try #require(Int32(try String(contentsOfFile: directory.appendingPathComponent("pgid").path, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(ProcessTable.liveProcesses(inGroup: group).isEmpty, "the pruned trial's process group survived")
        #expect(seconds < 60, "the study took \(seconds) s: the pruned trial was not killed")
    }

    @Test func aScriptPollingThePruneFileExitsCleanlyWithItsLastValueRecorded() throws {
        let directory = try ScratchDirectory.current()
        let (_, seconds, run) = try commandStudy(
            in: directory,
            behaviour: """
                while [ ! -e "$HPO_PRUNE_FILE" ]; do sleep 0.05; done   # real time: polling the prune file is the protocol under test
                cp "$HPO_PRUNE_FILE" "$OUT/seen"
                exit 0
                """,
            objectiveExtra: ", grace_period: 60s, cooperative_stop: true")
        let seen = try String(contentsOfFile: directory.appendingPathComponent("seen").path, encoding: .utf8)
        #expect(seen.hasPrefix("pruned at step 1: ASHA rung 0"), "\(seen)")
        let journal = try events(directory.appendingPathComponent("cmd.db").path)
        #expect(pruned(journal).map(\.trial) == [1])
        #expect(pruned(journal).first.map { $0.step == 1 && $0.value == 0.1 } == true)
        // It exited by itself: no wait for the 60 s grace period, no SIGKILL.
        #expect(seconds < 50, "the study took \(seconds) s")
        #expect(!run.standardError.contains("killed by signal"))
    }
}
