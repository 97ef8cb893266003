import HPOCoordinatorCore
import HPOOptimizer
import HPOWire
import Testing

/// The worker table's indexes (idle queue, live count, retired records) against a plain model, over random changes
/// many enough to exercise the lazy removal and compaction.
@Suite struct WorkerTableTests {
    private static let origin = ContinuousClock.now

    /// The states the model tells apart.
    private enum Model: Hashable { case idle, running, lost }

    private static let key = TrialKey(trial: TrialID(rawValue: 0), attempt: 1)

    private static func record(
        _ id: Int, _ state: Model, at seconds: Int, slots: Int = 1, running: Int = 1
    ) -> WorkerRecord {
        let attempts = Dictionary(uniqueKeysWithValues: (0..<running).map {
            (TrialKey(trial: TrialID(rawValue: $0), attempt: 1), WorkerRecord.Hold.leased)
        })
        return WorkerRecord(
            id: WorkerID("w\(id)"), host: "h", pid: 1, capabilities: ["null"],
            state: state == .lost ? .presumedLost(heldAttempts: []) : .serving, now: origin + .seconds(seconds),
            slots: slots, attempts: state == .running ? attempts : [:])
    }

    @Test func theIdleQueueIsFirstIdleFirstAndTheCountsMatchAModel() throws {
        var table = WorkerTable()
        var random = SeededGenerator(state: 7)
        var idleOrder: [Int] = []
        var states: [Int: Model] = [:]
        for step in 0..<50_000 {
            let id = Int.random(in: 0..<60, using: &random)
            switch Int.random(in: 0..<6, using: &random) {
            case 0, 1:
                table[WorkerID("w\(id)")] = Self.record(id, .idle, at: step)
                if states[id] != .idle { idleOrder.append(id) }
                states[id] = .idle
            case 2:
                table[WorkerID("w\(id)")] = Self.record(id, .running, at: step)
                idleOrder.removeAll { $0 == id }
                states[id] = .running
            case 3:
                table[WorkerID("w\(id)")] = Self.record(id, .lost, at: step)
                idleOrder.removeAll { $0 == id }
                states[id] = .lost
            case 4:
                table[WorkerID("w\(id)")] = nil
                idleOrder.removeAll { $0 == id }
                states[id] = nil
            default:
                let popped = table.popIdle()
                #expect(popped == idleOrder.first.map { WorkerID("w\($0)") }, "step \(step)")
                if let first = idleOrder.first {
                    idleOrder.removeFirst()
                    table[WorkerID("w\(first)")] = Self.record(first, .running, at: step)
                    states[first] = .running
                }
            }
            #expect(table.idleCount == idleOrder.count, "step \(step)")
            #expect(table.liveCount == states.values.filter { $0 != .lost }.count, "step \(step)")
            #expect(table.count == states.count, "step \(step)")
            if table.idleCount != idleOrder.count { break }
        }
        #expect(Array(table.inJoinOrder.map(\.id)).count == states.count)
    }

    @Test func theIdleQueueStaysSmallWhileItCyclesForever() {
        var table = WorkerTable()
        for id in 0..<10 { table[WorkerID("w\(id)")] = Self.record(id, .idle, at: 0) }
        var largest = 0
        for step in 0..<100_000 {
            guard let worker = table.popIdle() else { break }
            table[worker] = Self.record(0, .running, at: step).with(id: worker)
            table[worker] = Self.record(0, .idle, at: step).with(id: worker)
            largest = max(largest, table.idleQueueStorage)
        }
        #expect(table.idleCount == 10)
        #expect(largest <= 2 * 10 + 66)
    }

    @Test func retiredRecordsAreRemovedAfterTheGraceAndTheOldestMakesRoomFirst() {
        var table = WorkerTable()
        table[WorkerID("w0")] = Self.record(0, .lost, at: 0)
        table[WorkerID("w1")] = WorkerRecord(
            id: WorkerID("w1"), host: "h", pid: 1, capabilities: ["null"], state: .left, now: Self.origin + .seconds(5))
        table[WorkerID("w2")] = Self.record(2, .idle, at: 5)
        table[WorkerID("w3")] = WorkerRecord(
            id: WorkerID("w3"), host: "h", pid: 1, capabilities: ["null"], state: .incompatible, now: Self.origin + .seconds(8))
        #expect(table.removeOldestRetired() == WorkerID("w0"))
        // A record that came back to life is not removed, even though it retired before the cutoff.
        table[WorkerID("w1")] = Self.record(1, .idle, at: 6)
        #expect(table.removeRetired(before: Self.origin + .seconds(10)) == [WorkerID("w3")])
        #expect(table.count == 2)
        #expect(table.liveCount == 2)
    }
}

extension WorkerTableTests {
    /// A worker with free slots after it was given a trial goes to the back of the queue: slots fill round-robin,
    /// and the free-slot and live-slot counts follow every change.
    @Test func aWorkerWithAFreeSlotGoesBackToTheQueueAndTheSlotCountsFollow() {
        var table = WorkerTable()
        table[WorkerID("w0")] = Self.record(0, .idle, at: 0, slots: 2)
        table[WorkerID("w1")] = Self.record(1, .idle, at: 0, slots: 3)
        #expect(table.idleCount == 2 && table.freeSlotCount == 5 && table.liveSlotCount == 5)
        var given: [WorkerID] = []
        var running = [WorkerID("w0"): 0, WorkerID("w1"): 0]
        while let worker = table.popIdle() {
            given.append(worker)
            running[worker, default: 0] += 1
            let slots = worker == WorkerID("w0") ? 2 : 3
            table[worker] = Self.record(worker == WorkerID("w0") ? 0 : 1, .running, at: 1, slots: slots, running: running[worker]!)
        }
        #expect(given == ["w0", "w1", "w0", "w1", "w1"].map { WorkerID($0) })
        #expect(table.idleCount == 0 && table.freeSlotCount == 0 && table.liveSlotCount == 5)
        // One attempt of w1 ends: one free slot, and w1 is idle again.
        table[WorkerID("w1")] = Self.record(1, .running, at: 2, slots: 3, running: 2)
        #expect(table.idleCount == 1 && table.freeSlotCount == 1)
        #expect(table.popIdle() == WorkerID("w1"))
        table[WorkerID("w0")] = Self.record(0, .lost, at: 3, slots: 2)
        #expect(table.liveSlotCount == 3)
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
