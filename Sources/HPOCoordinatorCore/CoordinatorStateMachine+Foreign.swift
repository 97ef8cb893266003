import HPOWire

extension CoordinatorStateMachine {
    /// At most one log line per this interval about dropped foreign messages (the rest are counted in the next).
    static let foreignNoticeInterval: Duration = .seconds(10)

    /// Drops a message that is not hpo protocol (no reply: the peer would not understand one) and logs it, at most
    /// once per ``foreignNoticeInterval``, counting the ones dropped silently in between.
    mutating func dropForeign(from peer: WorkerID, reason: String, now: ContinuousClock.Instant, output: inout ActionBuffer) {
        if let last = lastForeignNotice, now - last < Self.foreignNoticeInterval {
            foreignDropsSinceNotice += 1
            return
        }
        let earlier =
            foreignDropsSinceNotice > 0
            ? " (and \(foreignDropsSinceNotice) more such messages since the last notice)" : ""
        output.log(
            .warning,
            "dropped a message from \(peer) that is not hpo protocol: \(reason)\(earlier); point only hpo workers "
                + "and `hpo status` at this address",
            ["worker.id": peer.description])
        lastForeignNotice = now
        foreignDropsSinceNotice = 0
    }
}

extension CoordinatorStateMachine {
    /// A warning about a peer's bad or refused message, rate-limited (``WarningLimiter``): a flood of bad messages
    /// costs bounded log lines and memory.
    mutating func warn(
        _ text: String, peer: WorkerID, level: LogLevel = .warning, now: ContinuousClock.Instant,
        output: inout ActionBuffer
    ) {
        guard warnings.allow(peer, now: now) else { return }
        output.log(level, text, ["worker.id": peer.description])
    }

    /// Writes the "N more suppressed" line when it is due (called on every tick).
    mutating func summarizeSuppressedWarnings(now: ContinuousClock.Instant, output: inout ActionBuffer) {
        if let line = warnings.summary(now: now) {
            output.log(.warning, line, [:])
        }
    }
}
