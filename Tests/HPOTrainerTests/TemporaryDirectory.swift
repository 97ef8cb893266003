import Foundation
import HPOTestSupport

/// The running test's scratch directory, which its suite's `.scratchDirectory` trait makes and removes, or a fresh
/// `subdirectory` of it.
struct TemporaryDirectory {
    let path: String

    init(_ subdirectory: String? = nil) throws {
        let scratch = try ScratchDirectory.current()
        path = subdirectory.map { scratch.appendingPathComponent($0).path } ?? scratch.path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `contents` to `name` inside the directory and returns the file's path.
    func write(_ name: String, _ contents: String) throws -> String {
        try write(name, Array(contents.utf8))
    }

    /// Writes raw bytes to `name` inside the directory and returns the file's path.
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// Compresses `file` with the system's `gzip` (a real process) and returns the `.gz` path.
    func gzip(_ file: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-kf", file]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        return file + ".gz"
    }
}

/// File removal for tests that need a file gone.
enum FileManagerShim {
    static func remove(_ path: String) throws {
        try FileManager.default.removeItem(atPath: path)
    }
}
