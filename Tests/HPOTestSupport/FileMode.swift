public import Glibc

/// File permissions as the kernel reports them.
public enum FileMode {
    /// The permission bits (`0o777` part of `st_mode`) of the file at `path`; 0 when it cannot be read.
    public static func permissions(_ path: String) -> mode_t {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0 }
        return info.st_mode & 0o777
    }
}
