import Foundation

extension ProcessCPUTime {
    /// The id of the thread of `pid` named `name` (`/proc/PID/task/TID/comm`); nil when it has none (yet).
    static func thread(named name: String, in pid: Int32) -> Int32? {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") else { return nil }
        for task in tasks {
            let comm = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/comm", encoding: .utf8)
            if comm?.trimmingCharacters(in: .newlines) == name { return Int32(task) }
        }
        return nil
    }

    /// The CPU time thread `tid` of `pid` has used so far, in nanoseconds: the first field of
    /// `/proc/PID/task/TID/schedstat` (the scheduler's own count, not rounded to clock ticks); nil once it is gone.
    static func ofThread(_ tid: Int32, in pid: Int32) -> Duration? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/schedstat", encoding: .utf8),
              let first = text.split(separator: " ").first, let nanoseconds = Int64(first)
        else { return nil }
        return .nanoseconds(nanoseconds)
    }
}
