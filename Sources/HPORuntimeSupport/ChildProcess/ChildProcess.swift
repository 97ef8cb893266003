package import CChildProcess
import Foundation
import Glibc

/// One child process leading its own process group: the one process layer of hpo, used by the command objective
/// (one process per trial) and by `hpo run`'s local worker pool.
///
/// - Started by the `CChildProcess` shim (fork + exec, only async-signal-safe calls between them): a new process
///   group led by the child, default signal dispositions and an empty mask, optional stdin from `/dev/null` and
///   stdout/stderr into pipes that are read line by line.
/// - With `diesWithParent`, the group dies with this process, SIGKILL included: the child has
///   `PR_SET_PDEATHSIG(SIGKILL)`, and a watchdog process in the child's group SIGKILLs the whole group once this
///   process is gone (it blocks on a pipe whose other end only this process holds).
/// - Its exit is an event: a `pidfd` polled together with the output pipes (no polling loop, no /proc scans).
/// - Stopping signals the whole group: SIGTERM, then SIGKILL after a grace period; whatever is left in the group
///   when the leader exits is SIGKILLed, and the pipes are read to their end.
///
/// Not thread-safe: use it from one (dedicated) thread.
package final class ChildProcess {
    /// Which stream a line came from.
    package enum Stream: String, Sendable {
        case stdout, stderr
        /// The child's descriptor 4 (with `Options.messageChannels`): its protocol messages to this process.
        case messages
    }

    /// How the process ended.
    package enum Termination: Equatable, Sendable {
        /// `exit(status)`.
        case exited(Int32)
        /// Killed by a signal.
        case signaled(Int32)
    }

    /// How a child is started.
    package struct Options: Sendable {
        /// Read stdout and stderr through pipes (`readOutput`); false: the child writes to this process's streams.
        package var capturesOutput = true
        /// Give the child `/dev/null` as stdin; false: this process's stdin.
        package var nullInput = true
        /// Where the child runs; nil: this process's working directory.
        package var workingDirectory: String?
        /// The child's group dies with this process (see the type's documentation). Only for a child that the
        /// spawning thread waits for: `PR_SET_PDEATHSIG` fires when that *thread* ends.
        package var diesWithParent = false
        /// Also give the child two pipes for protocol messages: descriptor 3, which it reads (write to it with
        /// `send(_:until:)`), and descriptor 4, which it writes (its lines arrive as stream `.messages`).
        package var messageChannels = false
        /// Longest line kept, in bytes; nil: no limit. A longer line is handed out as its first `lineLimit + 1`
        /// bytes (so a line longer than the limit is recognisable) and the rest, up to its newline, is dropped.
        package var lineLimit: Int?

        package init() {}
    }

    /// Why `wait` returned.
    package enum WaitOutcome: Equatable {
        /// The leader exited (and was reaped).
        case exited(Termination)
        /// The deadline passed first.
        case deadline
        /// The interrupt descriptor became readable first.
        case interrupted
    }

    /// The child's pid, which is also its process-group id.
    package let pid: pid_t
    /// Polls readable once the child exits; -1 where the kernel has no `pidfd_open` (then `wait` checks every 50 ms).
    private var exitDescriptor: Int32
    private var watchdog: (pid: pid_t, descriptor: Int32)?
    private var pipes: [(stream: Stream, descriptor: Int32, pending: [UInt8], discarding: Bool)] = []
    private let lineLimit: Int?
    /// The write end of the child's descriptor 3 (non-blocking, close-on-exec), or -1.
    private var messageDescriptor: Int32 = -1
    /// How the leader ended, once it was reaped.
    package private(set) var termination: Termination?

    /// Starts `argv` (`argv[0]` is looked up on `PATH` unless it contains a `/`) with exactly `environment`.
    ///
    /// - Throws: `ChildProcessError` with the system's reason (e.g. "No such file or directory") and what to check.
    package init(argv: [String], environment: [String: String], options: Options = Options()) throws(ChildProcessError) {
        precondition(!argv.isEmpty)
        guard let path = Self.resolve(argv[0]) else {
            throw ChildProcessError(.notFound, "cannot start \(argv[0]): not found on PATH; check argv[0] (an executable on PATH, or a path)")
        }
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        var input: Int32 = -1
        var toChild: [Int32] = [-1, -1]
        var fromChild: [Int32] = [-1, -1]
        defer {
            for descriptor in [outPipe[1], errPipe[1], input, toChild[0], fromChild[1]] where descriptor >= 0 { close(descriptor) }
        }
        lineLimit = options.lineLimit
        if options.capturesOutput {
            guard hpo_pipe_cloexec(&outPipe) == 0, hpo_pipe_cloexec(&errPipe) == 0 else {
                throw ChildProcessError(.noPipes, "cannot create pipes: \(String(cString: strerror(errno))); the process may be out of file descriptors")
            }
        }
        if options.messageChannels {
            guard hpo_pipe_cloexec(&toChild) == 0, hpo_pipe_cloexec(&fromChild) == 0 else {
                for descriptor in [outPipe[0], errPipe[0], toChild[1], fromChild[0]] where descriptor >= 0 { close(descriptor) }
                throw ChildProcessError(.noPipes, "cannot create pipes: \(String(cString: strerror(errno))); the process may be out of file descriptors")
            }
            _ = fcntl(toChild[1], F_SETFL, fcntl(toChild[1], F_GETFL) | O_NONBLOCK)
        }
        if options.nullInput {
            input = open("/dev/null", O_RDONLY | O_CLOEXEC)
        }
        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var spawned = hpo_spawn_result()
        let extra = options.messageChannels ? [toChild[0], fromChild[1]] : []
        let status: Int32 = options.workingDirectory.withOptionalCString { directory in
            extra.withUnsafeBufferPointer { extraDescriptors in
                var spawnOptions = hpo_spawn_options(
                    stdin_fd: input, stdout_fd: outPipe[1], stderr_fd: errPipe[1], working_directory: directory,
                    dies_with_parent: options.diesWithParent ? 1 : 0,
                    extra_fds: extra.isEmpty ? nil : extraDescriptors.baseAddress, extra_fd_count: Int32(extra.count))
                return hpo_spawn(path, cArguments, cEnvironment, &spawnOptions, &spawned)
            }
        }
        guard status == 0 else {
            for descriptor in [outPipe[0], errPipe[0], toChild[1], fromChild[0]] where descriptor >= 0 { close(descriptor) }
            let reason = String(cString: strerror(spawned.error))
            switch spawned.failed_step {
            case 1:
                throw ChildProcessError(.workingDirectory, "cannot start \(argv[0]) in \(options.workingDirectory ?? "."): \(reason); check that the working directory exists")
            case 2:
                throw ChildProcessError(.cannotExecute, "cannot start \(argv[0]): \(reason); check argv[0] (an executable on PATH, or a path)")
            default:
                throw ChildProcessError(.spawnFailed, "cannot start \(argv[0]): \(reason)")
            }
        }
        pid = spawned.pid
        exitDescriptor = hpo_pidfd_open(pid)
        if spawned.watchdog_pid > 0 { watchdog = (spawned.watchdog_pid, spawned.watchdog_fd) }
        if options.capturesOutput {
            pipes = [(.stdout, outPipe[0], [], false), (.stderr, errPipe[0], [], false)]
        }
        if options.messageChannels {
            // Last, so that output read in the same round as a message is handed out before it.
            pipes.append((.messages, fromChild[0], [], false))
            messageDescriptor = toChild[1]
        }
    }

    deinit {
        for pipe in pipes { close(pipe.descriptor) }
        if messageDescriptor >= 0 { close(messageDescriptor) }
        if exitDescriptor >= 0 { close(exitDescriptor) }
        releaseWatchdog()
    }

    /// Whether either output stream is still open.
    var hasOpenOutput: Bool { !pipes.isEmpty }

    /// Reaps the leader if it has exited (non-blocking); returns its termination once known.
    @discardableResult
    package func pollExit() -> Termination? {
        if let termination { return termination }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        termination = Self.decode(status)
        return termination
    }

    /// Blocks until the leader exits, `deadline` passes, or `interrupt` (a descriptor, e.g. an eventfd) becomes
    /// readable, handing each complete output line (without `\n`) to `line` meanwhile.
    package func wait(
        until deadline: ContinuousClock.Instant?, interrupt: Int32? = nil, line: (Stream, String) -> Void
    ) -> WaitOutcome {
        wait(until: deadline, interrupt: interrupt) { stream, text in
            line(stream, text)
            return false
        }!
    }

    /// Like `wait(until:interrupt:line:)`, but `handle` may end the wait: returns nil once `handle` returned true
    /// (after the rest of that read's lines were handed out too).
    package func wait(
        until deadline: ContinuousClock.Instant?, interrupt: Int32?, handle: (Stream, String) -> Bool
    ) -> WaitOutcome? {
        let clock = ContinuousClock()
        while true {
            if let termination = pollExit() { return .exited(termination) }
            var descriptors = pipes.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
            if exitDescriptor >= 0 { descriptors.append(pollfd(fd: exitDescriptor, events: Int16(POLLIN), revents: 0)) }
            if let interrupt { descriptors.append(pollfd(fd: interrupt, events: Int16(POLLIN), revents: 0)) }
            var timeout: Int32 = -1
            if let deadline {
                let remaining = clock.now.duration(to: deadline)
                if remaining <= .zero { return .deadline }
                timeout = Self.milliseconds(remaining)
            }
            if exitDescriptor < 0 { timeout = timeout < 0 ? 50 : min(timeout, 50) }   // no pidfd: check now and then
            let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
            if ready < 0 && errno != EINTR { return .deadline }
            guard ready > 0 else { continue }
            var handled = false
            readReady(descriptors.prefix(pipes.count)) { stream, text in
                if handle(stream, text) { handled = true }
            }
            if handled { return nil }
            if let interrupt, descriptors.last?.fd == interrupt, descriptors.last!.revents != 0 {
                if let termination = pollExit() { return .exited(termination) }
                return .interrupted
            }
        }
    }

    /// Sends `signal` to the child only (not its group).
    package func signal(_ signal: Int32) {
        if termination == nil { kill(pid, signal) }
    }

    /// Blocks until one of `processes` exits or `deadline` passes (nil: no deadline), without reaping.
    ///
    /// - Returns: false when the deadline passed first.
    package static func waitForAnyExit(of processes: [ChildProcess], until deadline: ContinuousClock.Instant?) -> Bool {
        var descriptors = processes.filter { $0.exitDescriptor >= 0 }.map { pollfd(fd: $0.exitDescriptor, events: Int16(POLLIN), revents: 0) }
        var timeout: Int32 = -1
        if let deadline {
            let remaining = ContinuousClock.now.duration(to: deadline)
            if remaining <= .zero { return false }
            timeout = milliseconds(remaining)
        }
        // A process without a pidfd (old kernel) is checked every 50 ms instead.
        if descriptors.count < processes.count { timeout = timeout < 0 ? 50 : min(timeout, 50) }
        _ = poll(&descriptors, nfds_t(descriptors.count), timeout)
        return deadline.map { ContinuousClock.now < $0 } ?? true
    }

    /// Sends `signal` to every process in the child's group (ignoring "no such process").
    func signalGroup(_ signal: Int32) {
        kill(-pid, signal)
    }

    /// Stops the whole group: SIGTERM, then SIGKILL once `grace` passed without the leader exiting; then
    /// `finish`. Output keeps being read meanwhile, so nobody blocks on a full pipe.
    @discardableResult
    package func terminate(grace: Duration, line: (Stream, String) -> Void) -> Termination {
        signalGroup(SIGTERM)
        if case .exited = wait(until: ContinuousClock.now + grace, line: line) {} else { signalGroup(SIGKILL) }
        return finish(line: line)
    }

    /// After (or to bring about) the leader's exit: SIGKILLs whatever is left in its group, waits for the leader,
    /// reads the pipes to their end, and releases the watchdog.
    ///
    /// The read is bounded by `drainLimit`: a descendant that left the group (`setsid`) may hold the pipes open
    /// forever; later output of such a process is discarded.
    @discardableResult
    package func finish(drainLimit: Duration = .seconds(2), line: (Stream, String) -> Void) -> Termination {
        signalGroup(SIGKILL)
        var termination = pollExit()
        while termination == nil {
            if case .exited(let ended) = wait(until: nil, line: line) { termination = ended }
        }
        let deadline = ContinuousClock.now + drainLimit
        while hasOpenOutput {
            var descriptors = pipes.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero, poll(&descriptors, nfds_t(descriptors.count), Self.milliseconds(remaining)) > 0 else { break }
            readReady(descriptors[...], line: line)
        }
        closeOutput()
        releaseWatchdog()
        return termination!
    }

    /// Closes the output pipes (later output of escaped descendants is discarded) and the child's message pipe.
    func closeOutput() {
        for pipe in pipes { close(pipe.descriptor) }
        pipes = []
        closeMessages()
    }

    /// Hands out the complete lines already readable on every pipe, without waiting: at most `limit` rounds of
    /// reads (64 KiB each), so a child that keeps printing cannot hold the caller.
    package func drainReadable(limit: Int = 64, line: (Stream, String) -> Void) {
        for _ in 0..<limit {
            var descriptors = pipes.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
            guard !descriptors.isEmpty, poll(&descriptors, nfds_t(descriptors.count), 0) > 0 else { return }
            readReady(descriptors[...], line: line)
        }
    }

    /// Writes `bytes` whole to the child's descriptor 3 (`Options.messageChannels`), waiting for room in the pipe
    /// until `deadline`. A child that closed its end makes the write fail with EPIPE, not kill this process:
    /// SIGPIPE is blocked on the calling thread (which only ever gets it from writes of its own).
    ///
    /// - Returns: nil once written; otherwise why not, e.g. "it closed descriptor 3".
    package func send(_ bytes: [UInt8], until deadline: ContinuousClock.Instant) -> String? {
        guard messageDescriptor >= 0 else { return "descriptor 3 is closed" }
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(messageDescriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written > 0 {
                offset += written
                continue
            }
            switch errno {
            case EINTR:
                continue
            case EAGAIN:
                let remaining = ContinuousClock.now.duration(to: deadline)
                guard remaining > .zero else { return "it did not read descriptor 3 (the pipe stayed full)" }
                var descriptor = pollfd(fd: messageDescriptor, events: Int16(POLLOUT), revents: 0)
                _ = poll(&descriptor, 1, Self.milliseconds(remaining))
            case EPIPE:
                var none = timespec()
                _ = sigtimedwait(&pipeSignal, nil, &none)   // take the (blocked) SIGPIPE this write raised
                return "it closed descriptor 3"
            default:
                return "writing descriptor 3 failed: \(String(cString: strerror(errno)))"
            }
        }
        return nil
    }

    /// Closes this end of the child's descriptor 3: the child reads end-of-file there.
    package func closeMessages() {
        if messageDescriptor >= 0 { close(messageDescriptor) }
        messageDescriptor = -1
    }

    /// Lets the watchdog SIGKILL the group (nothing is left in it by now, or this is a last resort) and reaps it.
    private func releaseWatchdog() {
        guard let watchdog else { return }
        self.watchdog = nil
        close(watchdog.descriptor)
        var status: Int32 = 0
        while waitpid(watchdog.pid, &status, 0) < 0 && errno == EINTR {}
    }

    /// Reads every pipe that polled readable; a pipe at its end delivers its unterminated last line and closes.
    private func readReady(_ descriptors: ArraySlice<pollfd>, line: (Stream, String) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var closed: [Int] = []
        for (index, descriptor) in zip(pipes.indices, descriptors) where descriptor.revents != 0 {
            let count = buffer.withUnsafeMutableBytes { read(descriptor.fd, $0.baseAddress, $0.count) }
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            if count <= 0 {
                if !pipes[index].pending.isEmpty && !pipes[index].discarding {
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
                if pipes[index].discarding {
                    pipes[index].discarding = false   // the end of an over-long line
                } else {
                    var text = pending[start..<newline]
                    if text.last == UInt8(ascii: "\r") { text = text.dropLast() }
                    line(pipes[index].stream, String(decoding: text, as: UTF8.self))
                }
                start = newline + 1
            }
            if start > 0 { pipes[index].pending.removeFirst(start) }
            if let lineLimit, pipes[index].pending.count > lineLimit {
                if !pipes[index].discarding {
                    line(pipes[index].stream, String(decoding: pipes[index].pending.prefix(lineLimit + 1), as: UTF8.self))
                    pipes[index].discarding = true
                }
                pipes[index].pending = []
            }
        }
        for index in closed.reversed() {
            close(pipes[index].descriptor)
            pipes.remove(at: index)
        }
    }

    /// A `waitpid` status as a termination (WIFEXITED and friends are C macros Swift cannot import).
    package static func decode(_ status: Int32) -> Termination {
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signaled(signal)
    }

    /// `name` as a path: unchanged when it contains a `/`, else the first executable `PATH` entry holding it.
    package static func resolve(_ name: String) -> String? {
        if name.contains("/") { return name }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + name
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// A poll timeout in milliseconds, rounded up (so a wait never ends just before its deadline), at most ~24 days.
    package static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: max(0, milliseconds))
    }
}

extension Optional where Wrapped == String {
    /// Calls `body` with a C string, or with nil.
    fileprivate func withOptionalCString<Result>(_ body: (UnsafePointer<CChar>?) -> Result) -> Result {
        switch self {
        case .some(let text): text.withCString { body($0) }
        case .none: body(nil)
        }
    }
}
