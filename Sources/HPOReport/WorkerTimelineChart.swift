/// One lane per worker with its attempts as bars (coloured by outcome), gaps between them idle, and lost workers
/// marked; each lane's label gives its busy share.
public enum WorkerTimelineChart {
    public static func make(_ data: ReportData) -> String {
        let runs = data.trials.flatMap { trial in trial.runs.map { (trial: trial.id, run: $0) } }
        let end = max(
            runs.map { $0.run.end ?? $0.run.start }.max() ?? 1,
            data.workerEvents.map(\.time).max() ?? 0, 1e-3)
        var firstStart: [String: Double] = [:]
        for item in runs { firstStart[item.run.worker] = min(firstStart[item.run.worker] ?? .infinity, item.run.start) }
        for event in data.workerEvents where firstStart[event.worker] == nil { firstStart[event.worker] = event.time }
        let lanes = firstStart.keys.sorted { (firstStart[$0]!, $0) < (firstStart[$1]!, $1) }
        let laneHeight = lanes.count > 40 ? 8.0 : 22.0
        let left = 170.0
        let width = 1060.0
        let height = 50 + laneHeight * Double(max(lanes.count, 1))
        var canvas = SVGCanvas(width: width, height: height)
        let scale = Scale(.linear, domain: 0...end, pixels: left, width - 16)
        let bottom = height - 30
        for tick in scale.ticks(count: 8) {
            canvas.line(scale.position(tick.value), 10, scale.position(tick.value), bottom, class: "grid")
            canvas.text(scale.position(tick.value), bottom + 16, tick.label + "s", class: "tick")
        }
        for (index, worker) in lanes.enumerated() {
            let y = 10 + Double(index) * laneHeight
            let own = runs.filter { $0.run.worker == worker }
            let busy = own.reduce(0.0) { $0 + (($1.run.end ?? end) - $1.run.start) }
            let span = end - firstStart[worker]!
            let share = span > 0 ? min(1, busy / span) : 1
            if laneHeight >= 12 {
                canvas.text(left - 8, y + laneHeight * 0.7, "\(String(worker.prefix(18))) \(NumberText.fixed(share * 100, decimals: 0))%", anchor: "end", class: "tick")
            }
            for item in own {
                let stop = item.run.end ?? end
                canvas.rect(
                    scale.position(item.run.start), y + 1, width: max(1, scale.position(stop) - scale.position(item.run.start)),
                    height: laneHeight - 3, class: "run run-\(item.run.outcome)",
                    title: "trial \(item.trial) on \(worker): \(item.run.outcome), \(NumberText.duration(stop - item.run.start))")
            }
            for event in data.workerEvents where event.worker == worker {
                canvas.rect(scale.position(event.time) - 1.5, y, width: 3, height: laneHeight - 1, class: "event-\(event.kind)",
                            title: "\(worker) \(event.kind) at \(NumberText.short(event.time))s")
            }
        }
        return canvas.svg(title: "worker timeline", id: "worker-timeline")
    }
}
