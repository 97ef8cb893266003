import Foundation
import Glibc

/// A pseudo-terminal for a child's standard error, so the child draws what it draws on a real terminal: the child
/// gets the slave side (`slave`), a thread here reads the master side and counts what arrives.
final class PseudoTerminal: @unchecked Sendable {
    /// What the master side received, once every holder of the slave side closed it.
    struct Received: Sendable {
        /// Bytes read.
        var bytes = 0
        /// Frames drawn: occurrences of ESC `[J` (clear to the end of the screen), which every redraw of the live view
        /// after the first writes once.
        var clears = 0
    }

    let slave: FileHandle
    private let master: Int32
    private let done = DispatchSemaphore(value: 0)
    private var received = Received()

    /// Opens a pair whose terminal is `columns` wide and `rows` high and starts reading its master side.
    ///
    /// - Throws: `SwarmError` when the system gives no pseudo-terminal (`/dev/ptmx`, `/dev/pts`).
    init(columns: Int = 120, rows: Int = 40) throws {
        // posix_openpt, unlockpt and ptsname are not imported into Swift's Glibc: the same calls, as Linux does them.
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        var unlocked: Int32 = 0
        var number: UInt32 = 0
        guard master >= 0, ioctl(master, Self.setLock, &unlocked) == 0, ioctl(master, Self.getNumber, &number) == 0 else {
            throw SwarmError("no pseudo-terminal from /dev/ptmx: \(String(cString: strerror(errno))); is /dev/pts mounted?")
        }
        let name = "/dev/pts/\(number)"
        let descriptor = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SwarmError("cannot open \(name): \(String(cString: strerror(errno)))") }
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
        slave = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        Thread { [self] in readUntilClosed() }.start()
    }

    /// Closes this process's copy of the slave side (after the child started), then waits until the child and its
    /// own children closed theirs and returns what arrived.
    func finish() -> Received {
        try? slave.close()
        done.wait()
        close(master)
        return received
    }

    /// `TIOCSPTLCK` and `TIOCGPTN` (`_IOW('T', 0x31, int)`, `_IOR('T', 0x30, unsigned int)`: function-like macros that
    /// Swift does not import), the same on every Linux architecture hpo builds for.
    private static let setLock = UInt(0x4004_5431)
    private static let getNumber = UInt(0x8004_5430)

    private func readUntilClosed() {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        // The last two bytes of the previous read, so an ESC [ J split across reads is still counted.
        var tail: [UInt8] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress!, $0.count) }
            if count < 0 && errno == EINTR { continue }
            // EIO once no process holds the slave side any more.
            guard count > 0 else { break }
            received.bytes += count
            let window = tail + buffer[0..<count]
            for index in 2..<max(2, window.count) where window[index] == 0x4A && window[index - 1] == 0x5B && window[index - 2] == 0x1B {
                received.clears += 1
            }
            tail = Array(window.suffix(2))
        }
        done.signal()
    }
}
