import Foundation
import Glibc

/// Reading a study file's bytes into text, bounded: at most ``maximumBytes``, and UTF-8 or a clear error.
enum StudyFileText {
    /// The largest study file accepted, in bytes (1 MiB). Real study files are under 10 KiB; the cap bounds the
    /// parser's time and memory whatever the file holds.
    static let maximumBytes = 1 << 20

    /// `1 MiB`: ``maximumBytes`` as errors spell it.
    static let maximumText = "1 MiB"

    /// The text of the study file at `path`.
    ///
    /// - Throws: ``StudyFileError`` when the file cannot be opened (saying why: missing, a directory, no
    ///   permission), is larger than ``maximumBytes``, or is not UTF-8 (naming the byte offset and line).
    static func read(_ path: String) throws(StudyFileError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            let advice = code == ENOENT ? "check the path" : code == EACCES ? "check its permissions" : "check the path and its permissions"
            throw StudyFileError(.fileUnreadable, file: path, keyPath: "", "cannot open the study file (\(String(cString: strerror(code)))); \(advice)")
        }
        defer { close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            throw StudyFileError(.fileUnreadable, file: path, keyPath: "", "is a directory; name the study file (e.g. \(path)/study.yaml)")
        }
        // Read at most one byte past the cap: enough to tell that the file is too large, whatever stat says
        // (pipes and /proc files report size 0).
        var bytes = [UInt8](repeating: 0, count: maximumBytes + 1)
        var total = 0
        while total < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(descriptor, buffer.baseAddress! + total, buffer.count - total)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw StudyFileError(.fileUnreadable, file: path, keyPath: "", "cannot read the study file (\(String(cString: strerror(errno)))); check the path")
            }
            if count == 0 { break }
            total += count
        }
        guard total <= maximumBytes else {
            let size = status.st_size > total ? " (\(status.st_size) bytes)" : ""
            throw StudyFileError(.fileTooLarge, 
                file: path, keyPath: "",
                "the study file is larger than \(maximumText)\(size); a study file holds settings only, so check that "
                    + "this is the right file (data belongs in the objective's files)")
        }
        bytes.removeSubrange(total...)
        return try decode(bytes, file: path)
    }

    /// `bytes` as text.
    ///
    /// - Throws: ``StudyFileError`` `not UTF-8 at byte N (line L)` at the first invalid byte.
    static func decode(_ bytes: [UInt8], file: String?) throws(StudyFileError) -> String {
        if let offset = firstInvalidUTF8Offset(bytes) {
            let line = 1 + bytes[..<offset].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            let byte = String(bytes[offset], radix: 16, uppercase: true)
            var hint = ""
            if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
                hint = " (it starts with a UTF-16 byte order mark)"
            }
            throw StudyFileError(.notUTF8, 
                file: file, keyPath: "", line: line,
                "the study file is not UTF-8 at byte \(offset) (0x\(byte))\(hint); save it as UTF-8, e.g. "
                    + "iconv -f latin1 -t utf-8 old.yaml > new.yaml (for a Latin-1 file)")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The byte offset of the first byte that does not begin a valid UTF-8 sequence, or nil when all are valid.
    ///
    /// - Complexity: O(n).
    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
            case .emptyInput:
                return nil
            case .error:
                return offset
            }
        }
    }
}
