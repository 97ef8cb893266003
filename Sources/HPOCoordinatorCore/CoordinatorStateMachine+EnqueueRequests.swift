import HPOOptimizer
import HPOSearchSpace
import HPOWire

/// ENQUEUE from a client while the study runs (`hpo enqueue` on a running study; docs/protocol.md, *ENQUEUE*).
///
/// A request is checked at once (study, state, parameters, limits) and refused with an ERROR, or kept until no ask
/// is outstanding: the optimizer hands out ids itself, so the trial takes its id only when none is being proposed.
/// It is then journaled (`trialProposed`, as a study file's `enqueue:` trial), registered with the optimizer as
/// pending (before any later ask), queued behind re-queued and earlier enqueued trials but before every proposal,
/// and answered with ENQUEUE_REPLY.
extension CoordinatorStateMachine {
    /// Makes every trial this machine creates from now on take an id ≥ `id` (ids the optimizer holds for trials the
    /// machine does not know: a warm start's).
    public mutating func reserveTrialIDs(below id: Int) {
        enqueues.idFloor = max(enqueues.idFloor, id)
    }

    /// An ENQUEUE: refuses it, or keeps it until ``admitEnqueues(now:output:)`` can give it an id.
    mutating func enqueueRequested(_ request: Enqueue, from peer: WorkerID, now: ContinuousClock.Instant, output: inout ActionBuffer) {
        func refuse(_ code: ErrorReply.Code, _ text: String) {
            warn("refused an ENQUEUE from \(peer): \(text)", peer: peer, level: .notice, now: now, output: &output)
            output.send(errorReply(code: code, message: text), to: peer)
        }
        if let study = request.study, study != studyName {
            return refuse(
                .wrongStudy,
                "this coordinator runs study \"\(studyName)\", not \"\(study)\"; connect to that study's coordinator")
        }
        if let closed = closedReason {
            return refuse(.studyClosed, closed)
        }
        let parameters: Assignment
        do {
            parameters = try space.validate(request.parameters)
        } catch {
            return refuse(.invalidParameters, "\(error)")
        }
        enqueues.queued.removeAll { trials[$0]?.phase != .queued || trials[$0]?.attempt != 0 }
        guard enqueues.heldCount < configuration.maxEnqueuedTrials else {
            return refuse(
                .enqueueLimit,
                "the coordinator already holds \(enqueues.heldCount) enqueued trials that have not started (its limit); "
                    + "enqueue again once some have started")
        }
        if let spent = budgetSpentReason(waiting: enqueues.waiting.count + outstandingRequest) {
            return refuse(.budgetSpent, spent)
        }
        enqueues.waiting.append(EnqueueBook.Waiting(peer: peer, parameters: parameters))
    }

    /// Gives the waiting requests their ids once no ask is outstanding; run before dispatch and before the next ask,
    /// so an enqueued trial is dispatched first and registered with the optimizer before it is asked again.
    mutating func admitEnqueues(now: ContinuousClock.Instant, output: inout ActionBuffer) {
        guard !enqueues.waiting.isEmpty else { return }
        if let closed = closedReason {
            return refuseWaitingEnqueues(closed, output: &output)
        }
        guard outstandingRequest == 0 else { return }
        var next = max(enqueues.idFloor, (trials.keys.map(\.rawValue).max() ?? -1) + 1)
        let waiting = enqueues.waiting
        enqueues.waiting = []
        for request in waiting {
            if let spent = budgetSpentReason(waiting: 0) {
                output.send(errorReply(code: .budgetSpent, message: spent), to: request.peer)
                continue
            }
            let id = TrialID(next)
            next += 1
            trials[id] = TrialRecord(id: id, parameters: request.parameters)
            // Behind re-queued trials (they ran before) and earlier enqueued ones, ahead of every proposal.
            let ahead = queue.firstIndex { trials[$0]?.attempt == 0 && !enqueues.queued.contains($0) } ?? queue.count
            queue.insert(id, at: ahead)
            enqueues.queued.append(id)
            if configuration.batchMode == .sync {
                currentBatch.insert(id)
            }
            output.journal(.trialProposed(trial: id, parameters: request.parameters))
            output.append(.registerTrial(id, request.parameters))
            output.send(.enqueueReply(EnqueueReply(trialID: id.rawValue, parameters: request.parameters, queuedAhead: ahead)), to: request.peer)
            output.log(
                .info, "trial \(id.rawValue) enqueued by \(request.peer): \(Self.describe(request.parameters)); it runs before any new proposal",
                ["trial.id": "\(id.rawValue)", "worker.id": request.peer.description])
        }
        enqueues.idFloor = next
    }

    /// Answers every waiting request with ERROR `study_closed` (the study stopped or ended before they got an id).
    mutating func refuseWaitingEnqueues(_ reason: String, output: inout ActionBuffer) {
        for request in enqueues.waiting {
            output.send(errorReply(code: .studyClosed, message: reason), to: request.peer)
        }
        enqueues.waiting = []
    }

    /// Why the study takes no new trial (stopping or over), or nil while it does.
    var closedReason: String? {
        if isFinished {
            return "study \(studyName) is over; raise budget.trials and --resume it (hpo enqueue then queues the "
                + "trial in the stopped study's journal)"
        }
        guard let stop else { return nil }
        return "study \(studyName) is stopping (\(stop.reason)) and takes no new trials; enqueue into the stopped "
            + "study (hpo enqueue STUDY …) and --resume it"
    }

    /// Why the trial budget leaves no room for one more trial beyond `waiting` ones, or nil when it does.
    private func budgetSpentReason(waiting: Int) -> String? {
        guard let budget = configuration.trialBudget else { return nil }
        let taken = trials.count - trials.failedCount
        guard taken + waiting >= budget else { return nil }
        // Queued proposals count: the optimizer (random search prefetches 16) may have proposed the budget's last trials.
        return "budget.trials = \(budget) is used up: \(taken) trials are done, running or queued (\(queue.count) not "
            + "started yet)" + (waiting > 0 ? " and \(waiting) more are being proposed" : "")
            + "; raise budget.trials in the study file and --resume (hpo enqueue then queues the trial in the stopped "
            + "study's journal)"
    }

    /// `a=1 b=0.5`, sorted by name.
    private static func describe(_ parameters: Assignment) -> String {
        parameters.keys.sorted().map { "\($0)=\(parameters[$0]!)" }.joined(separator: " ")
    }
}
