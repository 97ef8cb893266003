public import Foundation

/// Waits until `condition` holds, checking it every `poll`; gives up after `timeout`.
///
/// For conditions no event announces (a line in a log, a process state in /proc, a file appearing). The condition
/// is checked once more at the deadline, so a slow machine that satisfies it just in time still passes.
///
/// - Parameters:
///   - timeout: how long to keep checking; the bound every test wait needs.
///   - poll: the pause between checks (default 20 ms).
///   - condition: checked on the calling thread; must not block.
/// - Returns: whether `condition` held before the deadline.
@discardableResult
public func waitUntil(
    timeout: Duration, poll: Duration = .milliseconds(20), _ condition: () throws -> Bool
) rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: poll.seconds)   // real time: the pause between looks at a condition no event announces
    }
    return try condition()
}

/// ``waitUntil(timeout:poll:_:)`` with the timeout in seconds, for callers that count in `TimeInterval`.
@discardableResult
public func waitUntil(
    seconds timeout: TimeInterval, poll: Duration = .milliseconds(20), _ condition: () throws -> Bool
) rethrows -> Bool {
    try waitUntil(timeout: .nanoseconds(Int64(timeout * 1e9)), poll: poll, condition)
}

extension Duration {
    /// This duration in seconds, as a `Double`.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
