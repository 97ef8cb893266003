import Glibc

/// Which file a path names: device and inode, as `stat(2)` reports them.
///
/// The journal's writer compares the file it opened with the file its path names at every commit, so that a
/// journal deleted, moved away or replaced while the study runs stops the study instead of being written on in
/// silence (an open file outlives its name: SQLite would keep committing to a file nobody can read again).
struct JournalFileIdentity: Sendable, Hashable, CustomStringConvertible {
    /// `st_dev`.
    var device: UInt64
    /// `st_ino`.
    var inode: UInt64

    /// `device:inode`, as `stat -c %d:%i` prints them.
    var description: String { "\(device):\(inode)" }

    /// What has become of a journal file since it was opened.
    enum Change: Sendable, Hashable {
        /// No file is at the path any more, or the open file has no name left (`st_nlink == 0`).
        case deleted
        /// The path names another file now (moved over it, or deleted and created again).
        case replaced(now: JournalFileIdentity)
    }

    /// The identity of the open file `descriptor` and its link count. Corresponds to `fstat(2)`.
    static func of(descriptor: Int32) -> (identity: JournalFileIdentity, links: UInt64)? {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        return (JournalFileIdentity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino)), UInt64(status.st_nlink))
    }

    /// The identity of the file at `path`, or nil when nothing is there. Corresponds to `stat(2)`.
    static func of(path: String) -> JournalFileIdentity? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return JournalFileIdentity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
    }

    /// What changed between the file open as `descriptor` (whose identity at open was `self`) and `path` now,
    /// or nil when `path` still names it.
    func change(descriptor: Int32, path: String) -> Change? {
        if let open = Self.of(descriptor: descriptor), open.links == 0 {
            if let current = Self.of(path: path) { return .replaced(now: current) }
            return .deleted
        }
        guard let current = Self.of(path: path) else { return .deleted }
        return current == self ? nil : .replaced(now: current)
    }
}
