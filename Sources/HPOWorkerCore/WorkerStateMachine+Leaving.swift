import HPOWire

/// Attempts that end, and the worker's own end.
extension WorkerStateMachine {
    /// An objective returned: report it (or keep it for the next connection), and exit if that was the last one
    /// a stop waited for.
    mutating func trialFinished(_ result: TrialResult, now: ContinuousClock.Instant, output: inout WorkerActionBuffer) {
        guard let index = running.firstIndex(where: { $0.key == result.key }) else {
            output.log(.debug, "ignored the end of \(result.key), which this worker does not run", Self.metadata(result.key))
            return
        }
        running.remove(at: index)
        unlistedReported.remove(result.key)
        finished.record(result)
        output.log(.debug, "\(result.key) finished", Self.metadata(result.key))
        // While disconnected it waits in `finished`, sent after the next READY.
        send(.result(result), now: now, output: &output)
        if leaving != nil && running.isEmpty { exit(now: now, output: &output) }
    }

    /// Stops every running attempt and arms the one exit deadline; exits at once when nothing runs.
    mutating func beginLeaving(_ reason: WorkerExit, now: ContinuousClock.Instant, output: inout WorkerActionBuffer) {
        guard leaving == nil else { return }
        leaving = (reason, now + settings.stopGracePeriod)
        let why: String
        switch reason {
        case .shutdown(let text): why = "coordinator shutdown: \(text)"
        case .stopped(let text): why = "worker stopping: \(text)"
        case .coordinatorLost: why = "coordinator lost"
        case .rejected(let text): why = "worker refused by the coordinator: \(text)"
        case .wrongStudy: why = "worker leaving: the coordinator serves another study"
        case .failed(let text): why = text
        }
        for assignment in running {
            output.append(.cancel(assignment.key, reason: why))
        }
        if running.isEmpty { exit(now: now, output: &output) }
    }

    /// Emits the exit (once).
    mutating func exit(now: ContinuousClock.Instant, output: inout WorkerActionBuffer) {
        guard !hasExited, let leaving else { return }
        hasExited = true
        output.append(.exit(leaving.exit))
    }
}
