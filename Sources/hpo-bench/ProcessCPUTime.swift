import Foundation
import Glibc

/// The CPU time a process has used, from `/proc/PID/stat`.
enum ProcessCPUTime {
    /// utime + stime of `pid` so far; nil once the process is gone or its stat cannot be parsed.
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
