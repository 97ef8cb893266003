import HPOCoordinatorCore
import HPOOptimizer
import Testing

/// The worker table's indexes (idle queue, live count, retired records) against a plain model, over random changes
/// many enough to exercise the lazy removal and compaction.
@Suite struct WorkerTableTests {
    private static let origin = ContinuousClock.now

    private static func record(_ id: Int, _ state: WorkerRecord.State, at seconds: Int) -> WorkerRecord {
        WorkerRecord(id: WorkerID("w\(id)"), host: "h", pid: 1, capabilities: ["null"], state: state, now: origin + .seconds(seconds))
    }

    @Test func theIdleQueueIsFirstIdleFirstAndTheCountsMatchAModel() throws {
        var table = WorkerTable()
        var random = SeededGenerator(state: 7)
        var idleOrder: [Int] = []
        var states: [Int: WorkerRecord.State] = [:]
        let key = TrialAttempt(trial: TrialID(rawValue: 0), attempt: 1)
        for step in 0..<50_000 {
            let id = Int.random(in: 0..<60, using: &random)
            switch Int.random(in: 0..<6, using: &random) {
            case 0, 1:
                table[WorkerID("w\(id)")] = Self.record(id, .idle, at: step)
                if states[id] != .idle { idleOrder.append(id) }
                states[id] = .idle
            case 2:
                table[WorkerID("w\(id)")] = Self.record(id, .running(key), at: step)
                idleOrder.removeAll { $0 == id }
                states[id] = .running(key)
            case 3:
                table[WorkerID("w\(id)")] = Self.record(id, .presumedLost(heldAttempt: nil), at: step)
                idleOrder.removeAll { $0 == id }
                states[id] = .presumedLost(heldAttempt: nil)
            case 4:
                table[WorkerID("w\(id)")] = nil
                idleOrder.removeAll { $0 == id }
                states[id] = nil
            default:
                let popped = table.popIdle()
                #expect(popped == idleOrder.first.map { WorkerID("w\($0)") }, "step \(step)")
                if let first = idleOrder.first {
                    idleOrder.removeFirst()
                    table[WorkerID("w\(first)")] = Self.record(first, .running(key), at: step)
                    states[first] = .running(key)
                }
            }
            #expect(table.idleCount == idleOrder.count, "step \(step)")
            #expect(table.liveCount == states.values.filter { $0 == .idle || $0 == .running(key) }.count, "step \(step)")
            #expect(table.count == states.count, "step \(step)")
            if table.idleCount != idleOrder.count { break }
        }
        #expect(Array(table.inJoinOrder.map(\.id)).count == states.count)
    }

    @Test func theIdleQueueStaysSmallWhileItCyclesForever() {
        var table = WorkerTable()
        let key = TrialAttempt(trial: TrialID(rawValue: 0), attempt: 1)
        for id in 0..<10 { table[WorkerID("w\(id)")] = Self.record(id, .idle, at: 0) }
        var largest = 0
        for step in 0..<100_000 {
            guard let worker = table.popIdle() else { break }
            table[worker] = Self.record(0, .running(key), at: step).with(id: worker)
            table[worker] = Self.record(0, .idle, at: step).with(id: worker)
            largest = max(largest, table.idleQueueStorage)
        }
        #expect(table.idleCount == 10)
        #expect(largest <= 2 * 10 + 66)
    }

    @Test func retiredRecordsAreRemovedAfterTheGraceAndTheOldestMakesRoomFirst() {
        var table = WorkerTable()
        table[WorkerID("w0")] = Self.record(0, .presumedLost(heldAttempt: nil), at: 0)
        table[WorkerID("w1")] = Self.record(1, .left, at: 5)
        table[WorkerID("w2")] = Self.record(2, .idle, at: 5)
        table[WorkerID("w3")] = Self.record(3, .incompatible, at: 8)
        #expect(table.removeOldestRetired() == WorkerID("w0"))
        // A record that came back to life is not removed, even though it retired before the cutoff.
        table[WorkerID("w1")] = Self.record(1, .idle, at: 6)
        #expect(table.removeRetired(before: Self.origin + .seconds(10)) == [WorkerID("w3")])
        #expect(table.count == 2)
        #expect(table.liveCount == 2)
    }
}

extension WorkerRecord {
    /// The same record for another worker id.
    fileprivate func with(id: WorkerID) -> WorkerRecord {
        var copy = self
        copy.id = id
        return copy
    }
}
