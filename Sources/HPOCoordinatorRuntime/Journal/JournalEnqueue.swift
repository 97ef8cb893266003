import Foundation
import HPOCoordinatorCore
public import HPOOptimizer
public import HPOSearchSpace

/// `hpo enqueue`: queues a trial in a stopped study's journal, so the next `--resume` runs it before any proposal
/// (replay puts journaled `trialProposed` trials without a dispatch in the queue, and the optimizer learns their
/// result like any other).
public enum JournalEnqueue {
    /// Why a trial could not be enqueued; the message names the journal, what happened and what to do.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
        /// The journal is locked by a running coordinator: `hpo enqueue` then sends ENQUEUE to it instead.
        public var studyIsRunning = false
    }

    /// A command-line value as a parameter value: an integer, a real number, `true`/`false`, else a string.
    public static func value(commandLine text: String) -> ParameterValue {
        if let integer = Int(text) { return .int(integer) }
        if let real = Double(text), real.isFinite { return .double(real) }
        if text == "true" || text == "false" { return .bool(text == "true") }
        return .string(text)
    }

    /// Appends `trialProposed` for `assignment` to the journal at `path`, with the id after the highest one there.
    ///
    /// - Parameters:
    ///   - assignment: the trial's parameters (fixed ones may be left out).
    ///   - space: the space to check it against; nil: the space of the journal's last session.
    /// - Returns: the new trial's id and canonical parameters.
    /// - Throws: ``Failure`` when the journal is missing, holds no study, is being written by a running coordinator,
    ///   or the assignment does not fit the space (naming the parameter).
    public static func enqueue(
        _ assignment: Assignment, journalPath path: String, space: SearchSpace? = nil
    ) throws(Failure) -> (id: TrialID, parameters: Assignment) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw Failure(description: "journal \(path): no such file; run the study once first, or name its journal")
        }
        let store: JournalStore<JournalEvent>
        let fold: JournalFold
        do {
            store = try JournalStore<JournalEvent>(path: path)
            fold = try JournalFold(store.readAll().map(\.event))
        } catch let error as CoordinatorError where error.code == .journalInUse {
            throw Failure(
                description: "journal \(path): the study is running (another process is writing this journal); "
                    + "name its coordinator (--connect ENDPOINT, --connect-file PATH, or the study file with a fixed "
                    + "transport.bind port) and hpo enqueue sends the trial to it",
                studyIsRunning: true)
        } catch {
            throw Failure(description: "\(error)")
        }
        guard let session = fold.sessions.last else {
            throw Failure(description: "journal \(path): it holds no study yet; run the study once first")
        }
        let parameters: Assignment
        do {
            parameters = try (space ?? session.space).validate(assignment)
        } catch {
            throw Failure(description: "\(error)")
        }
        let id = TrialID((fold.trials.keys.map(\.rawValue).max() ?? -1) + 1)
        do {
            _ = try store.append([.trialProposed(trial: id, parameters: parameters)])
        } catch {
            throw Failure(description: "\(error)")
        }
        return (id, parameters)
    }
}
