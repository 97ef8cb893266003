import Foundation
import HPOTestSupport

/// Study files, workers and journal checks shared by the fault tests.
enum FaultStudy {
    /// The journal next to a study file written by `BraninStudy.write`.
    static func journal(in directory: URL, name: String) -> String {
        directory.appendingPathComponent("\(name).db").path
    }

    /// The (trial, attempt) a worker whose id starts with `prefix` runs right now according to the journal: dispatched
    /// to it, reported PROGRESS, and not finished or re-queued yet.
    static func runningAttempt(of prefix: String, in rows: [JournalRow]) -> (trial: Int, attempt: Int)? {
        var running: (trial: Int, attempt: Int)?
        for row in rows {
            switch row.type {
            case "trialDispatched", "trialAdopted":
                if row.worker?.hasPrefix(prefix) == true, let trial = row.trial, let attempt = row.attempt {
                    running = (trial, attempt)
                }
            case "trialCompleted", "trialFailed", "trialRequeued":
                if let current = running, row.trial == current.trial { running = nil }
            default:
                break
            }
        }
        guard let running else { return nil }
        let progressed = rows.contains { $0.type == "trialProgress" && $0.trial == running.trial && $0.attempt == running.attempt }
        return progressed ? running : nil
    }

    /// Trials with more than one `trialCompleted` event (each with its attempts), for a failure message.
    static func completedTwice(_ rows: [JournalRow]) -> [Int: [Int]] {
        var attempts: [Int: [Int]] = [:]
        for row in rows where row.type == "trialCompleted" {
            if let trial = row.trial { attempts[trial, default: []].append(row.attempt ?? -1) }
        }
        return attempts.filter { $0.value.count > 1 }
    }

    /// What `hpo show --format json` prints, in the parts the fault tests check.
    struct Shown: Decodable {
        struct Trial: Decodable {
            var trial: Int
            var state: String
            var attempts: Int
            var value: Double?
        }

        var completed: Int
        var failed: Int
        var trials: [Trial]
    }

    /// Runs `hpo show <journal> --format json` and decodes it.
    static func show(_ journal: String) throws -> Shown {
        let show = try HPOProcess(["show", journal, "--format", "json"])
        guard show.wait(timeout: 20) == 0 else {
            throw TestSupportError("hpo show failed; stderr: \(show.standardError)")
        }
        return try JSONDecoder().decode(Shown.self, from: Data(show.standardOutput.utf8))
    }
}
