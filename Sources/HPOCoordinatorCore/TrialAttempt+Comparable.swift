extension TrialAttempt: Comparable {
    /// Trial order, then attempt order (for stable lists in HEARTBEATs, status and logs).
    public static func < (left: TrialAttempt, right: TrialAttempt) -> Bool {
        (left.trial, left.attempt) < (right.trial, right.attempt)
    }
}
