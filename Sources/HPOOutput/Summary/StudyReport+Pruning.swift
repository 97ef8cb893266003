import HPOCoordinatorCore

extension StudyReport {
    /// `pruned: 7 trials, 412 steps saved of 1012 (41 %)`, or nil when nothing was pruned. Steps are the objective's
    /// (epochs for `mlp`); saved = for each pruned trial, the most steps a completed trial ran minus its pruned step.
    static func pruningLine(_ summary: StudySummary) -> String? {
        guard summary.pruned > 0 else { return nil }
        let whole = summary.stepsTrained + summary.stepsSaved
        let share = whole > 0 ? Int((Double(summary.stepsSaved) / Double(whole) * 100).rounded()) : 0
        return "pruned: \(summary.pruned) trial\(summary.pruned == 1 ? "" : "s"), \(summary.stepsSaved) steps saved of \(whole) (\(share) %)"
    }
}
