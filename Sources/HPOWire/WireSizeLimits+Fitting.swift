extension WireSizeLimits {
    /// `message` made to fit its type's cap, so a worker's report is never refused for its size: a RESULT's or
    /// PROGRESS's metrics are dropped (the value stays), and a `failed`/`stopped` reason is cut to fit, keeping its
    /// start and ending in `… (truncated)`. Every other message, and one that fits, is returned unchanged.
    ///
    /// - Complexity: one encoding when the message fits; a few more (O(log n) for a reason of n bytes) when it does not.
    public static func fitted(_ message: WireMessage) -> WireMessage {
        let limit = maximumBodyBytes(message.kind)
        guard bodyBytes(message) > limit else { return message }
        switch message {
        case .progress(var progress):
            progress.metrics = [:]
            return .progress(progress)
        case .result(var result):
            switch result.outcome {
            case .completed(let value, _):
                result.outcome = .completed(value: value, metrics: [:])
            case .failed(let reason):
                result.outcome = .failed(reason: shortened(reason) { .result(TrialResult(trialID: result.trialID, attempt: result.attempt, outcome: .failed(reason: $0), duration: result.duration)) })
            case .stopped(let reason):
                result.outcome = .stopped(reason: shortened(reason) { .result(TrialResult(trialID: result.trialID, attempt: result.attempt, outcome: .stopped(reason: $0), duration: result.duration)) })
            }
            return .result(result)
        default:
            return message
        }
    }

    private static func bodyBytes(_ message: WireMessage) -> Int {
        WireCodec.encode(message)[2].count
    }

    /// The longest prefix of `reason` (in characters) plus a marker whose message fits its cap.
    private static func shortened(_ reason: String, as message: (String) -> WireMessage) -> String {
        let marker = "… (truncated)"
        let characters = Array(reason)
        var low = 0
        var high = characters.count
        while low < high {
            let middle = (low + high + 1) / 2
            let candidate = message(String(characters[..<middle]) + marker)
            if bodyBytes(candidate) <= maximumBodyBytes(candidate.kind) { low = middle } else { high = middle - 1 }
        }
        return String(characters[..<low]) + marker
    }
}
