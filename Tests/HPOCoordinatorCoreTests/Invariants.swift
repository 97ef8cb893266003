import HPOCoordinatorCore
import HPOOptimizer
import HPOWire

/// The coordinator core's invariants, checked after every event by the harness and the fuzz test.
enum Invariants {
    /// Every violated invariant of `machine`, in words (empty when all hold).
    ///
    /// - no trial is both queued and leased: the queue holds exactly the trials in phase `queued`, once each;
    /// - a leased trial's worker record holds that attempt's lease, and every lease a worker holds is its trial's;
    /// - a worker runs attempts only while serving (a READY may announce fewer slots than it runs: no check of that);
    /// - attempts are never counted twice: holders only for dispatched attempts;
    /// - the counts (snapshot, worker table) equal what the tables hold.
    static func violations(_ machine: CoordinatorStateMachine) -> [String] {
        var problems: [String] = []
        let queue = machine.queuedTrials
        if Set(queue).count != queue.count { problems.append("the queue holds a trial twice: \(queue)") }
        var completed = 0
        var failed = 0
        var running = 0
        var queued = Set<TrialID>()
        var best: Double?
        for id in machine.trials.keys {
            guard let trial = machine.trials[id] else { continue }
            switch trial.phase {
            case .queued:
                queued.insert(id)
            case .leased(let worker, let attempt, _):
                running += 1
                let key = TrialKey(trial: id, attempt: attempt)
                if machine.workers[worker]?.attempts[key] != .leased {
                    problems.append("\(key) is leased to \(worker), whose attempts are \(String(describing: machine.workers[worker]?.attempts))")
                }
                if attempt != trial.attempt { problems.append("\(key) is leased but the trial is at attempt \(trial.attempt)") }
            case .awaitingAdoption:
                running += 1
            case .completed(let value):
                completed += 1
                if best.map({ machine.direction == .maximize ? value > $0 : value < $0 }) ?? true { best = value }
            case .failed:
                failed += 1
            case .pruned:
                break
            }
            if let highest = trial.holders.keys.max(), highest > trial.attempt {
                problems.append("trial \(id.rawValue) has a holder for attempt \(highest) beyond its attempt \(trial.attempt)")
            }
            if trial.retries < 0 { problems.append("trial \(id.rawValue) has \(trial.retries) retries") }
        }
        if queued != Set(queue) {
            problems.append("queued trials \(queued.sorted()) differ from the queue \(queue)")
        }
        let snapshot = machine.snapshot
        if snapshot.completed != completed || snapshot.failed != failed || snapshot.running != running {
            problems.append(
                "snapshot counts \(snapshot.completed)/\(snapshot.failed)/\(snapshot.running) differ from the table's "
                    + "\(completed)/\(failed)/\(running)")
        }
        if snapshot.best?.value != best { problems.append("best \(String(describing: snapshot.best?.value)) is not the table's \(String(describing: best))") }
        let workers = Array(machine.workers.values)
        let live = workers.filter(\.isLive)
        let liveSlots = live.reduce(0) { $0 + $1.slots }
        let idle = workers.filter(\.isIdle)
        let reportedIdle = idle.filter(\.hasReported).count
        let freeSlots = workers.reduce(0) { $0 + $1.freeSlots }
        let reportedFreeSlots = workers.filter(\.hasReported).reduce(0) { $0 + $1.freeSlots }
        for worker in workers {
            if worker.state != .serving && !worker.attempts.isEmpty {
                problems.append("worker \(worker.id) is \(worker.state) but runs \(worker.attempts)")
            }
            for key in worker.leasedAttempts {
                guard case .leased(let holder, let attempt, _) = machine.trials[key.trial]?.phase, holder == worker.id,
                    attempt == key.attempt
                else {
                    problems.append("worker \(worker.id) runs \(key), which is not leased to it")
                    continue
                }
            }
        }
        if live.count != machine.workers.liveCount { problems.append("live count \(machine.workers.liveCount) but \(live.count) live records") }
        if liveSlots != machine.workers.liveSlotCount {
            problems.append("live slot count \(machine.workers.liveSlotCount) but the live records have \(liveSlots)")
        }
        let servableSlots = machine.workers.reportedLiveCount == 0 ? freeSlots : reportedFreeSlots
        if servableSlots != machine.workers.freeSlotCount {
            problems.append("free slot count \(machine.workers.freeSlotCount) but the records have \(servableSlots)")
        }
        let servable = machine.workers.reportedLiveCount == 0 ? idle.count : reportedIdle
        if servable != machine.workers.idleCount {
            problems.append("idle count \(machine.workers.idleCount) but \(servable) idle records that may be given trials")
        }
        if machine.workers.count > machine.configuration.maxWorkers {
            problems.append("\(machine.workers.count) worker records, above the cap \(machine.configuration.maxWorkers)")
        }
        return problems
    }

    /// Trials with more than one terminal journal event (completed or failed) in `journal`.
    static func countedTwice(_ journal: [JournalEvent]) -> [TrialID] {
        var seen = Set<TrialID>()
        var twice: [TrialID] = []
        for event in journal {
            switch event {
            case .trialCompleted(let id, _, _, _, _), .trialFailed(let id, _, _), .trialPruned(let id, _, _, _, _):
                if !seen.insert(id).inserted { twice.append(id) }
            default:
                break
            }
        }
        return twice
    }
}
