public import Foundation

/// What /proc says about processes: children, liveness and run state.
public enum ProcessTable {
    /// Children of every thread of `pid` (a child belongs to the thread that spawned it), sorted.
    public static func children(of pid: Int32) -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.flatMap { task -> [Int32] in
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8) else { return [] }
            return text.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }.sorted()
    }

    /// The one-letter state of `pid` from /proc/PID/stat (`R`, `S`, `T` stopped, `Z` zombie…), nil if it is gone.
    public static func state(of pid: Int32) -> Character? {
        state(atPath: "/proc/\(pid)/stat")
    }

    /// The states of this process's threads named `name` (their `comm`, at most 15 bytes, as
    /// ``nameCurrentThread(_:)`` sets it), from /proc/self/task.
    public static func threadStates(named name: String) -> [Character] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.compactMap { task in
            guard let comm = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8),
                  comm.trimmingCharacters(in: .newlines) == String(name.utf8.prefix(15))!
            else { return nil }
            return state(atPath: "/proc/self/task/\(task)/stat")
        }
    }

    /// Names the calling thread (its `comm`, cut to 15 bytes) by writing /proc/thread-self/comm, so a test can find
    /// it with ``threadStates(named:)``.
    public static func nameCurrentThread(_ name: String) {
        try? String(name.utf8.prefix(15))!.write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
    }

    private static func state(atPath path: String) -> Character? {
        guard let stat = try? String(contentsOfFile: path, encoding: .utf8),
              let close = stat.lastIndex(of: ")"), stat.distance(from: close, to: stat.endIndex) > 2
        else { return nil }
        return stat[stat.index(close, offsetBy: 2)]
    }

    /// Whether `pid` is a live process (not gone, not a zombie).
    public static func isAlive(_ pid: Int32) -> Bool {
        guard let state = state(of: pid) else { return false }
        return state != "Z" && state != "X"
    }

    /// Waits until none of `pids` is alive; false after `timeout` seconds.
    public static func waitUntilGone(_ pids: [Int32], timeout: TimeInterval) -> Bool {
        waitUntil(seconds: timeout, poll: .milliseconds(50)) { !pids.contains(where: isAlive) }
    }

    /// CPU time `pid` has used so far (user + system), from /proc/PID/stat; nil if it is gone.
    public static func cpuTime(of pid: Int32) -> Duration? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command: state is field 3; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Int64(fields[11]), let system = Int64(fields[12]) else { return nil }
        let ticks = Int64(sysconf(Int32(_SC_CLK_TCK)))
        return .milliseconds((user + system) * 1000 / max(ticks, 1))
    }

    /// Processes of process group `group` that are alive (not zombies), read from /proc.
    public static func liveProcesses(inGroup group: Int32) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { $0.allSatisfy(\.isNumber) }.compactMap { entry in
            guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, Int32(fields[2]) == group, fields[0] != "Z" else { return nil }
            return "\(entry) \(stat.prefix(40))"
        }
    }
}
