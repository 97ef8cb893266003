import Foundation
import Glibc

/// The CPU time a process or thread has used.
enum ProcessCPUTime {
    /// CPU time the calling thread has used so far (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`): what a measured
    /// piece of code cost, whatever else the machine runs meanwhile (a preemption costs it nothing).
    static func ofCurrentThread() -> Duration {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
    }

    /// utime + stime of `pid` so far, from `/proc/PID/stat`; nil once the process is gone or its stat cannot be
    /// parsed.
    static func of(_ pid: Int32) -> Duration? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Int64(fields[11]), let system = Int64(fields[12]) else { return nil }
        let ticks = max(Int64(sysconf(Int32(_SC_CLK_TCK))), 1)
        return .microseconds((user + system) * 1_000_000 / ticks)
    }
}
