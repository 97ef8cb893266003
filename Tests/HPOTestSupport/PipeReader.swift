public import Foundation

/// Reads one pipe to end-of-file on its own thread, keeping everything read.
///
/// A test reads a process's output here instead of sleeping "to let the pipes drain": end-of-file means every
/// writer (the process and any child that inherited the pipe) has closed it, so the text is complete.
public final class PipeReader: @unchecked Sendable {
    /// The pipe; hand `pipe` to `Process.standardOutput` or `standardError`.
    public let pipe = Pipe()
    private let lock = NSLock()
    private var data = Data()
    private var reachedEnd = false
    private let end = DispatchSemaphore(value: 0)

    public init() {}

    /// Starts the reading thread; call once, after the process that writes has started.
    public func start() {
        let handle = pipe.fileHandleForReading
        let thread = Thread { [self] in
            while true {
                let chunk = handle.availableData   // Blocks until data arrives; empty at end-of-file.
                if chunk.isEmpty { break }
                lock.withLock { data += chunk }
            }
            lock.withLock { reachedEnd = true }
            end.signal()
        }
        thread.name = "hpo-test-pipe-reader"
        thread.start()
    }

    /// Everything read so far, decoded as UTF-8.
    public var text: String {
        lock.withLock { String(decoding: data, as: UTF8.self) }
    }

    /// Whether end-of-file was read.
    public var isComplete: Bool {
        lock.withLock { reachedEnd }
    }

    /// Waits until end-of-file; false if a writer still holds the pipe open after `timeout`.
    @discardableResult
    public func waitForEnd(timeout: Duration) -> Bool {
        if isComplete { return true }
        guard end.wait(timeout: .now() + timeout.seconds) == .success else { return false }
        end.signal()   // Later waits return at once too.
        return true
    }
}
