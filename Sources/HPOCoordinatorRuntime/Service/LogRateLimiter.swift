/// Lets one log line through per `interval` and counts the ones held back, so a flood (a peer that never reads its
/// replies, thousands of refused handshakes) costs one line every few seconds instead of one per event.
///
/// Not thread-safe: keep one per thread, or wrap it in a `Mutex`.
struct LogRateLimiter: Sendable {
    /// The shortest time between two lines.
    let interval: Duration
    private var lastLine: ContinuousClock.Instant?
    private var suppressed = 0

    init(interval: Duration = .seconds(10)) {
        self.interval = interval
    }

    /// Whether to log now; when it is, `held` is how many events were held back since the last line.
    ///
    /// - Parameter now: the time of the event.
    mutating func admit(now: ContinuousClock.Instant) -> (log: Bool, held: Int) {
        if let lastLine, now - lastLine < interval {
            suppressed += 1
            return (false, 0)
        }
        defer { suppressed = 0 }
        lastLine = now
        return (true, suppressed)
    }

    /// `" (and N more since the last such line)"`, or empty.
    static func suffix(_ held: Int) -> String {
        held > 0 ? " (and \(held) more since the last such line)" : ""
    }
}
