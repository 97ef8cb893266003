public import Foundation

/// A fresh directory under the system's temporary directory, for one test.
public enum ScratchDirectory {
    /// Creates `hpo-<label>-<uuid>` and returns it; the caller removes it.
    public static func make(_ label: String = "test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hpo-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
