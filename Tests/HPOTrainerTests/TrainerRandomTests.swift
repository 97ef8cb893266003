@testable import HPOTrainer
import Testing

/// The trainer's stream, pinned: `scripts/peers/trainer.py` ports it to rebuild the same split in Python.
@Suite struct TrainerRandomTests {
    /// The values and the shuffle the Python port (`TrainerRandom` in scripts/peers/trainer.py) computes.
    @Test func theStreamAndTheShuffleMatchThePythonPort() {
        var random = TrainerRandom(seed: 42)
        #expect([random.next(), random.next(), random.next()] == [0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1])
        var shuffler = TrainerRandom(seed: 7)
        var items = Array(0..<10)
        shuffler.shuffle(&items)
        #expect(items == [1, 8, 3, 0, 4, 5, 9, 6, 2, 7])
    }
}
