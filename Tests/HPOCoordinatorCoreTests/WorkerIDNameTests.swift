import HPOCoordinatorCore
import Testing

/// `hpo status` shows a worker's `--name`, read back from its routing id `name.pid.xxxx`.
@Suite struct WorkerIDNameTests {
    @Test func theNameIsTheRoutingIdWithoutPidAndSuffix() {
        #expect(WorkerID("gpu-3.4242.a1f").workerName(pid: 4242) == "gpu-3")
        #expect(WorkerID("node.eu.7.ffff").workerName(pid: 7) == "node.eu")
    }

    @Test func otherShapesHaveNoName() {
        #expect(WorkerID("gpu-3.4242.a1f").workerName(pid: 1) == nil, "the pid must match")
        #expect(WorkerID("gpu-3").workerName(pid: 1) == nil)
        #expect(WorkerID(".4242.a1f").workerName(pid: 4242) == nil)
        #expect(WorkerID(routingID: [0, 0x80, 0, 0x41, 0xa7]).workerName(pid: 1) == nil, "a libzmq-generated id")
    }
}
