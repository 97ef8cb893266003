extension CommandReport {
    /// The trial's outcome when this is its final report: failed with the program's `error`, failed when the metric
    /// is missing or not finite, else completed with the metric and every other finite number as metrics.
    ///
    /// - Parameters:
    ///   - metric: the study's metric, e.g. `accuracy`.
    ///   - program: the program's name for messages (argv[0]).
    ///   - tail: appended to a failure reason (e.g. `; last stderr lines: …`).
    func outcome(metric: String, program: String, tail: String) -> ObjectiveOutcome {
        if let error {
            return .failed(reason: "\(program) reported an error: \(error)" + tail)
        }
        guard let value = values[metric] else {
            let others = values.keys.sorted()
            return .failed(reason: "\(program)'s final report has no \"\(metric)\" (it has: \(others.isEmpty ? "nothing" : others.joined(separator: ", "))); report the study's metric or change metric" + tail)
        }
        guard value.isFinite else {
            return .failed(reason: "\(program) reported \(metric) = \(value), which is not finite (diverged?)" + tail)
        }
        return .completed(value: value, metrics: values.filter { $0.key != metric && $0.value.isFinite })
    }
}
