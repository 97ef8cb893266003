import Foundation
import Glibc
public import HPOCoordinatorCore
import Synchronization

/// Draws ``LiveView`` on standard error: on a terminal redrawn in place (ANSI cursor-up and clear) once a second
/// and only when its text changed, with log lines printed above it (``printAbove(_:)``, used by `LiveDisplayLogHandler`); elsewhere one plain
/// progress line every 10 s, and only when something changed, so logs are never flooded.
public final class LiveDisplay: Sendable {
    /// Whether standard error is a terminal.
    public static var standardErrorIsTerminal: Bool { isatty(2) == 1 }

    /// Time between redraws on a terminal: one a second (the bound is 10 a second). A redraw costs the process
    /// about 0.2 ms of CPU with cold caches, so 4 a second were 1.9–2.1 % and 2 a second 0.96–1.26 % of a
    /// fast random-search coordinator's CPU, against a 1 % target (docs/coordinator.md, *Live view*).
    public static let redrawInterval: Duration = .seconds(1)
    /// Interval of the plain progress line when standard error is not a terminal.
    public static let plainInterval: Duration = .seconds(10)

    private let terminal: Bool
    private let study: String
    private let metric: String
    private let started = ContinuousClock.now
    /// Lines of the view now on screen (0: none drawn) and their text, the last plain line written, and whether
    /// ``finish()`` ran.
    private let state = Mutex<(drawn: Int, shown: [String], lastPlain: String?, finished: Bool)>((0, [], nil, false))

    /// A display for `study` (values named `metric`); `terminal`: redraw in place, else plain periodic lines.
    public init(study: String, metric: String, terminal: Bool) {
        self.study = study
        self.metric = metric
        self.terminal = terminal
    }

    /// Redraws from `snapshot()` on a thread of its own until the returned loop is cancelled.
    public func run(_ snapshot: @escaping @Sendable () -> StudySnapshot) -> LiveDisplayLoop {
        LiveDisplayLoop(display: self, interval: terminal ? Self.redrawInterval : Self.plainInterval, snapshot: snapshot)
    }

    /// Draws `snapshot` once.
    public func draw(_ snapshot: StudySnapshot) {
        let now = ContinuousClock.now
        let lines = LiveView.lines(snapshot, study: study, metric: metric, elapsed: now - started, now: now, width: Self.width())
        state.withLock { state in
            if state.finished { return }
            if terminal {
                // The same text again (long trials, ages in whole seconds): no write, no work for the terminal.
                if state.drawn > 0, lines == state.shown { return }
                Self.write(Self.frame(lines, erasing: state.drawn))
                state.drawn = lines.count
                state.shown = lines
            } else if lines[0] != state.lastPlain {
                Self.write("progress: " + lines[0] + "\n")
                state.lastPlain = lines[0]
            }
        }
    }

    /// Runs `body` (which writes whole lines to standard error) with the view erased, then draws the view's last
    /// text again below what it wrote (the next redraw brings it up to date), so log lines appear above the view and
    /// never inside it, and the view does not vanish for up to a redraw interval after each of them.
    public func printAbove(_ body: () -> Void) {
        state.withLock { state in
            guard terminal, state.drawn > 0 else {
                body()
                return
            }
            Self.write(Self.erase(state.drawn))
            body()
            Self.write(Self.frame(state.shown, erasing: 0))
        }
    }

    /// Erases the view for good (before the final summary).
    public func finish() {
        state.withLock { state in
            if terminal { Self.write(Self.erase(state.drawn)) }
            state.drawn = 0
            state.finished = true
        }
    }

    /// Moves up over `lines` lines drawn before and clears to the end of the screen.
    static func erase(_ lines: Int) -> String {
        lines > 0 ? "\u{1B}[\(lines)F\u{1B}[J" : ""
    }

    /// The terminal's width in columns (80 when unknown).
    static func width() -> Int {
        var size = winsize()
        guard ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 10 else { return 80 }
        return Int(size.ws_col) - 1
    }

    private static func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress!, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}
