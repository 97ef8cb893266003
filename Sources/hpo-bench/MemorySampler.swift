import Foundation
import Glibc

/// Samples a process's peak resident set (VmHWM in /proc/PID/status) every 20 ms on a thread of its own.
struct MemorySampler {
    let pid: pid_t
    private let state = SamplerState()

    init(pid: pid_t) {
        self.pid = pid
    }

    /// The largest VmHWM seen, in KiB.
    var peakKilobytes: Int { state.peak }

    func start() {
        let state = self.state
        let path = "/proc/\(pid)/status"
        let thread = Thread {
            while !state.stopped {
                if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                    for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
                        let digits = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first
                        if let kilobytes = digits.flatMap({ Int($0) }) { state.record(kilobytes) }
                    }
                }
                usleep(20_000)   // A sampling period: real time must pass between samples.
            }
        }
        thread.start()
    }

    func stop() {
        state.stopped = true
    }
}

/// The sampler's shared state (a lock-protected peak and a stop flag).
final class SamplerState: @unchecked Sendable {
    private let lock = NSLock()
    private var peakValue = 0
    private var stopFlag = false

    var peak: Int { lock.withLock { peakValue } }
    var stopped: Bool {
        get { lock.withLock { stopFlag } }
        set { lock.withLock { stopFlag = newValue } }
    }

    func record(_ kilobytes: Int) {
        lock.withLock { peakValue = max(peakValue, kilobytes) }
    }
}
