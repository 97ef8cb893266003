/// Bounds the log lines that peers can cause (malformed messages, refused reports, unknown peers): a global token
/// bucket, at most a few lines per peer per interval (in a small, bounded map), and a periodic count of what was
/// suppressed. Memory stays bounded whatever the peers send.
struct WarningLimiter: Sendable {
    /// Lines allowed in a burst; one more is allowed every `refillInterval`.
    static let burst = 20
    static let refillInterval: Duration = .milliseconds(500)
    /// A peer gets at most `perPeerLines` lines per this interval.
    static let perPeerInterval: Duration = .seconds(10)
    static let perPeerLines = 5
    /// Peers remembered for the per-peer limit; beyond it, lines only pass the global bucket.
    static let maxTrackedPeers = 256
    /// How often the "N more suppressed" line is written (when something was suppressed).
    static let summaryInterval: Duration = .seconds(10)

    private var tokens = Double(burst)
    private var lastRefill: ContinuousClock.Instant?
    /// Per peer: when its current interval began, and the lines it got in it.
    private var peerWindows: [WorkerID: (start: ContinuousClock.Instant, lines: Int)] = [:]
    /// Lines suppressed since the last summary line.
    private(set) var suppressed = 0
    private var lastSummary: ContinuousClock.Instant?

    /// Whether a line about `peer` may be written now; counts it as suppressed otherwise.
    mutating func allow(_ peer: WorkerID, now: ContinuousClock.Instant) -> Bool {
        refill(now: now)
        var window: (start: ContinuousClock.Instant, lines: Int) = (now, 0)
        if let current = peerWindows[peer], now - current.start < Self.perPeerInterval {
            window = current
        }
        guard window.lines < Self.perPeerLines, tokens >= 1 else {
            suppressed += 1
            return false
        }
        tokens -= 1
        window.lines += 1
        if peerWindows[peer] != nil || peerWindows.count < Self.maxTrackedPeers {
            peerWindows[peer] = window
        }
        return true
    }

    /// The summary line to write now, if lines were suppressed and the last summary is old enough; forgets peers
    /// whose interval has passed.
    mutating func summary(now: ContinuousClock.Instant) -> String? {
        if peerWindows.count >= Self.maxTrackedPeers / 2 {
            peerWindows = peerWindows.filter { now - $0.value.start < Self.perPeerInterval }
        }
        guard suppressed > 0 else { return nil }
        if let last = lastSummary, now - last < Self.summaryInterval { return nil }
        let since = lastSummary.map { " in the last \(now - $0)" } ?? ""
        let line =
            "\(suppressed) more warnings about malformed or refused messages were suppressed\(since) (at most "
            + "\(Self.perPeerLines) per peer every \(Self.perPeerInterval)); point only hpo workers and `hpo status` at "
            + "this address"
        suppressed = 0
        lastSummary = now
        return line
    }

    private mutating func refill(now: ContinuousClock.Instant) {
        guard let last = lastRefill else {
            lastRefill = now
            return
        }
        let gained = (now - last) / Self.refillInterval
        guard gained >= 1 else { return }
        tokens = min(Double(Self.burst), tokens + gained.rounded(.down))
        lastRefill = now
    }
}
