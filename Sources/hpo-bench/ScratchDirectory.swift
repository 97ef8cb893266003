import Foundation

/// A fresh directory under the system's temporary directory for one benchmark run's files (study file, journal,
/// logs, scripts); `remove()` deletes it with everything in it.
struct ScratchDirectory {
    let url: URL

    /// Creates `<temporary directory>/hpo-bench-<label>-<pid>-<8 hex digits>`.
    init(_ label: String) throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("hpo-bench-\(label)-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var path: String { url.path }

    /// The path of `name` inside this directory.
    func file(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    /// Writes `contents` (UTF-8) to `name` inside this directory and returns its path.
    func write(_ name: String, _ contents: String) throws -> String {
        let path = file(name)
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The last 2,000 characters of the file `name` (a log, for an error message); empty when it cannot be read.
    func tail(_ name: String) -> String {
        String(((try? String(contentsOfFile: file(name), encoding: .utf8)) ?? "").suffix(2000))
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
