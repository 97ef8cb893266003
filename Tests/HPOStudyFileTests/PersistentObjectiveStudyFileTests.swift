import Foundation
import Testing
import HPOObjectives
import HPOStudyFile
import HPOWire

/// The persistent `command` objective's keys in a study file (docs/study-file.md, docs/objective-protocol.md):
/// accepted when right, refused with the key named and what to do when not.
@Suite struct PersistentObjectiveStudyFileTests {
    static func study(_ objective: String) -> String {
        StudyFileSample.minimal.replacingOccurrences(of: "{kind: \"null\"}", with: objective)
    }

    @Test func persistentKeysAreAccepted() throws {
        let config = try StudyConfig.parse(
            yaml: Self.study("{kind: command, argv: [python3, train.py], persistent: true, max_trials_per_process: 50}"),
            file: "s.yaml")
        #expect(config.objective.options["persistent"] == .bool(true))
        #expect(config.objective.options["max_trials_per_process"] == .number(50))
        let objective = try CommandObjective(options: config.objective.options)
        #expect(objective.persistent && objective.maxTrialsPerProcess == 50)
        #expect(try !CommandObjective(options: ["argv": .array([.string("x")])]).persistent)
    }

    @Test func placeholdersInAPersistentArgvAreRefusedNamingTheElement() {
        #expect(StudyFileSample.error(Self.study(#"{kind: command, argv: [python3, train.py, "--lr={x}"], persistent: true}"#))
            == #"s.yaml:3: objective: objective "command": argv[2] uses {x}, but with persistent: true one process serves many trials: read the parameters from each trial message (HPO_PARAMS, docs/objective-protocol.md) and remove the placeholder"#)
        #expect(StudyFileSample.error(Self.study(#"{kind: command, argv: [python3, "run-{trial_id}.py"], persistent: true}"#))?
            .contains("argv[1] uses {trial_id}") == true)
        // Escaped braces are literal text, not placeholders.
        #expect(StudyFileSample.error(Self.study(#"{kind: command, argv: [python3, "{{x}}"], persistent: true}"#)) == nil)
    }

    @Test func maxTrialsPerProcessNeedsPersistent() {
        #expect(StudyFileSample.error(Self.study("{kind: command, argv: [python3, train.py], max_trials_per_process: 3}"))
            == #"s.yaml:3: objective: objective "command": option "max_trials_per_process" only applies to a persistent process; add persistent: true, or remove it"#)
        #expect(StudyFileSample.error(Self.study("{kind: command, argv: [python3, train.py], persistent: false, max_trials_per_process: 3}"))?
            .contains("add persistent: true") == true)
    }

    @Test func badValuesAreRefusedNamingTheKey() {
        #expect(StudyFileSample.error(Self.study("{kind: command, argv: [python3, train.py], persistent: yes-please}"))
            == #"s.yaml:3: objective: objective "command": option "persistent" must be true or false, got "yes-please""#)
        for bad in ["-1", "1.5", "many"] {
            let message = StudyFileSample.error(Self.study("{kind: command, argv: [python3, train.py], persistent: true, max_trials_per_process: \(bad)}"))
            #expect(message?.contains(#"option "max_trials_per_process" must be an integer ≥ 0 (0: never restart), got "#) == true, "\(bad): \(message ?? "accepted")")
        }
        #expect(StudyFileSample.error(Self.study("{kind: command, argv: [python3, train.py], persistent: true, max_trials_per_process: 0}")) == nil)
    }
}
