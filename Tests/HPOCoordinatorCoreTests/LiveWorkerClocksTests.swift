import HPOCoordinatorCore
import HPOOptimizer
import HPOWire
import Testing

/// The tick's dense liveness index against a scan of every record, over random changes of state and clocks.
@Suite struct LiveWorkerClocksTests {
    private static let origin = ContinuousClock.now

    @Test func silentAndUnsentWorkersMatchAScanOfTheRecordsInJoinOrder() {
        var table = WorkerTable()
        var random = SeededGenerator(state: 11)
        let key = TrialKey(trial: TrialID(rawValue: 0), attempt: 1)
        let states: [WorkerRecord.State] = [
            .serving, .awaitingFirstReport(previouslyHeld: [key]), .presumedLost(heldAttempts: [key]), .left, .incompatible,
        ]
        for step in 1...20_000 {
            let now = Self.origin + .milliseconds(step * 10)
            let id = WorkerID("w\(Int.random(in: 0..<80, using: &random))")
            switch Int.random(in: 0..<5, using: &random) {
            case 0:
                table[id] = nil
            case 1 where table.noteHeard(id, at: now):
                #expect(table[id]?.lastHeard == now)
            case 1:
                var record = table[id]
                    ?? WorkerRecord(id: id, host: "h", pid: 1, capabilities: ["null"], state: .serving, now: now)
                record.lastHeard = now
                table[id] = record
            case 2 where Bool.random(using: &random):
                table[id]?.lastSent = now
            case 2:
                // The in-place path the state machine takes for every send.
                let known = table[id] != nil
                table.noteSent(id, at: now)
                #expect(table[id]?.lastSent == (known ? now : nil))
            default:
                let state = states.randomElement(using: &random)!
                var record = WorkerRecord(id: id, host: "h", pid: 1, capabilities: ["null"], state: state, now: now)
                if let old = table[id] {
                    record.lastHeard = old.lastHeard
                    record.lastSent = old.lastSent
                }
                table[id] = record
            }
            guard step % 97 == 0 else { continue }
            let live = table.inJoinOrder.filter(\.isLive)
            #expect(table.liveClocks.count == live.count)
            let timeout = Duration.milliseconds(Int.random(in: 0...2_000, using: &random))
            let stall: ContinuousClock.Instant? = Bool.random(using: &random) ? now - .milliseconds(500) : nil
            #expect(
                table.liveClocks.silent(longerThan: timeout, now: now, countFrom: stall)
                    == live.filter { now - max($0.lastHeard, stall ?? $0.lastHeard) > timeout }.map(\.id))
            #expect(table.liveClocks.unsentTo(for: timeout, now: now) == live.filter { now - $0.lastSent >= timeout }.map(\.id))
        }
    }
}
