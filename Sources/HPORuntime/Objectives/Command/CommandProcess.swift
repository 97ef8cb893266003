import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One child process in its own process group, with its stdout and stderr read line by line.
///
/// Started with `posix_spawnp` (`POSIX_SPAWN_SETPGROUP` with group 0, so the child leads a new group
/// that holds everything it starts; default signal dispositions and an empty signal mask; stdin from
/// `/dev/null`). Stopping it signals the whole group: SIGTERM, then SIGKILL after a grace period.
/// Everything here runs on the calling (dedicated) thread; nothing is shared.
final class CommandProcess {
    /// Which stream a line came from.
    enum Stream: String, Sendable {
        case stdout, stderr
    }

    /// How the process ended.
    enum Termination: Equatable {
        /// `exit(status)`.
        case exited(Int32)
        /// Killed by a signal.
        case signaled(Int32)
    }

    /// The child's pid, which is also its process-group id.
    let pid: pid_t
    private var pipes: [(stream: Stream, descriptor: Int32, pending: [UInt8])] = []
    private(set) var termination: Termination?

    /// Starts `argv` with `environment` in `workingDirectory` (nil: the worker's).
    ///
    /// - Throws: `CommandError` with the system's reason (e.g. "No such file or directory") and what to check.
    init(argv: [String], environment: [String: String], workingDirectory: String?) throws(CommandError) {
        precondition(!argv.isEmpty)
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard GNUExtensions.pipe2(&outPipe, O_CLOEXEC) == 0, GNUExtensions.pipe2(&errPipe, O_CLOEXEC) == 0 else {
            throw CommandError("cannot create pipes: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        if let workingDirectory {
            guard GNUExtensions.addChdir(&actions, workingDirectory) == 0 else {
                throw CommandError("cannot set the working directory \(workingDirectory) for the command")
            }
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD, SIGUSR1, SIGUSR2] {
            sigaddset(&defaultSignals, signal)
        }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var child: pid_t = 0
        let status = posix_spawnp(&child, argv[0], &actions, &attributes, cArguments, cEnvironment)
        close(outPipe[1])
        close(errPipe[1])
        guard status == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            var hint = "check argv[0] (an executable on PATH, or a path)"
            if let workingDirectory { hint += " and that the working directory \(workingDirectory) exists" }
            throw CommandError("cannot start \(argv[0]): \(String(cString: strerror(status))); \(hint)")
        }
        pid = child
        pipes = [(.stdout, outPipe[0], []), (.stderr, errPipe[0], [])]
    }

    deinit {
        for pipe in pipes { close(pipe.descriptor) }
    }

    /// Whether either output stream is still open.
    var hasOpenOutput: Bool { !pipes.isEmpty }

    /// Waits up to `timeoutMilliseconds` for output and hands each complete line (without `\n`) to `line`.
    /// At end of stream a final unterminated line is delivered too, and the stream is closed.
    func readOutput(timeoutMilliseconds: Int32, line: (Stream, String) -> Void) {
        guard !pipes.isEmpty else {
            usleep(UInt32(timeoutMilliseconds) * 1000)
            return
        }
        var descriptors = pipes.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
        let ready = poll(&descriptors, nfds_t(descriptors.count), timeoutMilliseconds)
        guard ready > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var closed: [Int] = []
        for (index, descriptor) in descriptors.enumerated() where descriptor.revents != 0 {
            let count = buffer.withUnsafeMutableBytes { read(descriptor.fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 {
                if !pipes[index].pending.isEmpty {
                    line(pipes[index].stream, String(decoding: pipes[index].pending, as: UTF8.self))
                }
                closed.append(index)
                continue
            }
            pipes[index].pending.append(contentsOf: buffer[0..<count])
            // Hand out every complete line, then drop them in one move (not one shift per line).
            var start = 0
            let pending = pipes[index].pending
            while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var text = pending[start..<newline]
                if text.last == UInt8(ascii: "\r") { text = text.dropLast() }
                line(pipes[index].stream, String(decoding: text, as: UTF8.self))
                start = newline + 1
            }
            if start > 0 { pipes[index].pending.removeFirst(start) }
        }
        for index in closed.reversed() {
            close(pipes[index].descriptor)
            pipes.remove(at: index)
        }
    }

    /// Reaps the child if it has exited (non-blocking); returns its termination once known.
    @discardableResult
    func pollExit() -> Termination? {
        if let termination { return termination }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else { return nil }
        // WIFEXITED / WEXITSTATUS / WTERMSIG are C macros; decode the wait status by hand.
        let signal = status & 0x7F
        termination = signal == 0 ? .exited((status >> 8) & 0xFF) : .signaled(signal)
        return termination
    }

    /// Whether any live (non-zombie) process is still in the child's process group.
    var groupIsAlive: Bool {
        kill(-pid, 0) == 0 && Self.liveMembers(ofGroup: pid) > 0
    }

    /// Sends `signal` to every process in the child's group (ignoring "no such process").
    func signalGroup(_ signal: Int32) {
        kill(-pid, signal)
    }

    /// Stops the whole group: SIGTERM, then SIGKILL if anything is still alive after `grace`; keeps
    /// draining output meanwhile so nobody blocks on a full pipe. Returns once the leader is reaped.
    func terminateGroup(grace: Duration, line: (Stream, String) -> Void) {
        let clock = ContinuousClock()
        signalGroup(SIGTERM)
        let deadline = clock.now + grace
        while clock.now < deadline {
            readOutput(timeoutMilliseconds: 20, line: line)
            pollExit()
            if termination != nil && !groupIsAlive { break }
        }
        if groupIsAlive || termination == nil { signalGroup(SIGKILL) }
        while pollExit() == nil { usleep(2_000) }
        // Drain what the group wrote before dying; bounded, because a descendant that left the group
        // (setsid) may hold the pipes open forever.
        let drainDeadline = clock.now + .seconds(1)
        while hasOpenOutput && clock.now < drainDeadline { readOutput(timeoutMilliseconds: 20, line: line) }
        closeOutput()
    }

    /// Closes both pipes (later output from escaped descendants is discarded).
    func closeOutput() {
        for pipe in pipes { close(pipe.descriptor) }
        pipes = []
    }

    /// Counts processes of group `group` that are not zombies, from `/proc/<pid>/stat`.
    ///
    /// `kill(-group, 0)` also succeeds for zombies whose parent has not reaped them yet, so the check
    /// reads each process's state and group instead.
    static func liveMembers(ofGroup group: pid_t) -> Int {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return 0 }
        var count = 0
        for entry in entries where entry.first?.isNumber == true {
            guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")")
            else { continue }
            // After "pid (comm) ": state ppid pgrp …
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, let processGroup = Int32(fields[2]) else { continue }
            if processGroup == group && fields[0] != "Z" && fields[0] != "X" { count += 1 }
        }
        return count
    }
}

/// glibc functions that Swift's Glibc module hides behind `_GNU_SOURCE`, looked up once with `dlsym`.
///
/// `pipe2(O_CLOEXEC)` makes the pipe's ends close-on-exec atomically (no leak into processes other
/// threads spawn meanwhile); `posix_spawn_file_actions_addchdir_np` (glibc ≥ 2.29) sets the child's
/// working directory without a shell.
enum GNUExtensions {
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    private static let pipe2Function: Pipe2? = lookUp("pipe2").map { unsafeBitCast($0, to: Pipe2.self) }
    private static let addChdirFunction: AddChdir? =
        lookUp("posix_spawn_file_actions_addchdir_np").map { unsafeBitCast($0, to: AddChdir.self) }

    private static func lookUp(_ name: String) -> UnsafeMutableRawPointer? {
        dlsym(dlopen(nil, RTLD_NOW), name)
    }

    /// `pipe2(fds, flags)`, or `pipe` + `fcntl(FD_CLOEXEC)` where `pipe2` is missing.
    static func pipe2(_ descriptors: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32 {
        if let pipe2Function { return pipe2Function(descriptors, flags) }
        guard pipe(descriptors) == 0 else { return -1 }
        _ = fcntl(descriptors[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(descriptors[1], F_SETFD, FD_CLOEXEC)
        return 0
    }

    /// `posix_spawn_file_actions_addchdir_np`, or `ENOSYS` where the C library lacks it.
    static func addChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: String) -> Int32 {
        guard let addChdirFunction else { return ENOSYS }
        return addChdirFunction(actions, path)
    }
}

/// Why a command could not be run (before any trial outcome exists).
struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
