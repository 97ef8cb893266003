import Foundation
import Glibc
import HPOZeroMQ

/// One CURVE key in a text file: `#` comment lines, then the key as 40 Z85 characters on a line of its own.
///
/// Secret keys are written with mode 0600 and never overwritten; public keys with mode 0644.
public enum CurveKeyFile {
    /// Reads the key in `path`.
    ///
    /// - Throws: `CurveKeyError` when the file cannot be read or holds no 40-character Z85 key.
    public static func read(_ path: String) throws(CurveKeyError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CurveKeyError(
                .unreadable,
                "cannot read the CURVE key file \(path); create keys with `hpo keygen DIR` and check the path and its permissions")
        }
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let key = lines.first(where: { !$0.isEmpty && !$0.hasPrefix("#") }) else {
            throw CurveKeyError(.badKey, "the CURVE key file \(path) holds no key; recreate it with `hpo keygen`")
        }
        guard isKey(key) else {
            throw CurveKeyError(
                .badKey,
                "the CURVE key file \(path) holds \(key.utf8.count) characters where a key is 40 Z85 characters; "
                    + "recreate it with `hpo keygen`")
        }
        return key
    }

    /// Whether `text` is a CURVE key: 40 characters of Z85.
    public static func isKey(_ text: String) -> Bool {
        text.utf8.count == 40 && ZMQ.z85Decode(text) != nil
    }

    /// What is unsafe about a secret key file's permissions (group or others may read it), or nil.
    public static func permissionProblem(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        guard info.st_mode & 0o077 != 0 else { return nil }
        return "the secret key file \(path) has mode \(String(info.st_mode & 0o777, radix: 8)): others may read it; "
            + "chmod 600 \(path)"
    }

    /// Writes a secret key to a new file with mode 0600 (never replacing an existing file).
    ///
    /// - Throws: `CurveKeyError` when the file exists or cannot be written.
    public static func writeSecret(_ key: String, to path: String, comment: String) throws(CurveKeyError) {
        try write("# \(comment)\n# Secret: keep it private (mode 0600); never copy it to another party.\n\(key)\n", to: path, mode: 0o600)
    }

    /// Writes a public key to a new file with mode 0644 (never replacing an existing file).
    public static func writePublic(_ key: String, to path: String, comment: String) throws(CurveKeyError) {
        try write("# \(comment)\n\(key)\n", to: path, mode: 0o644)
    }

    private static func write(_ text: String, to path: String, mode: mode_t) throws(CurveKeyError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            if errno == EEXIST {
                throw CurveKeyError(
                .exists,
                    "\(path) already exists; keys are never overwritten: remove it first, or choose another directory")
            }
            throw CurveKeyError(.cannotWrite, "cannot create the key file \(path): \(reason); check the directory and its permissions")
        }
        defer { close(descriptor) }
        // The umask may have narrowed the mode; a public key must stay readable, a secret key private.
        fchmod(descriptor, mode)
        var bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeMutableBytes { Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                throw CurveKeyError(.cannotWrite, "cannot write the key file \(path): \(String(cString: strerror(errno)))")
            }
            written += count
        }
        guard fsync(descriptor) == 0 else {
            throw CurveKeyError(.cannotWrite, "cannot write the key file \(path): \(String(cString: strerror(errno)))")
        }
    }
}
