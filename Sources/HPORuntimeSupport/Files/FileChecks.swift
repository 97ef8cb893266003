import Foundation
import Glibc

/// Small file-system questions the objectives' pre-flight checks ask (`ObjectiveFactory.checkFiles`).
package enum FileChecks {
    /// What a path names.
    package enum Entry: Equatable {
        case missing, file, directory
    }

    /// What `path` names (following symbolic links).
    package static func entry(_ path: String) -> Entry {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .missing }
        return isDirectory.boolValue ? .directory : .file
    }

    /// Whether this process may read `path`.
    package static func isReadable(_ path: String) -> Bool { access(path, R_OK) == 0 }

    /// Whether this process may execute `path`.
    package static func isExecutable(_ path: String) -> Bool { access(path, X_OK) == 0 }

    /// `path` made absolute against `directory` (default: this process's working directory); `~` is expanded and
    /// absolute paths are kept as they are.
    package static func absolute(_ path: String, against directory: String? = nil) -> String {
        if path.hasPrefix("/") { return path }
        if path.hasPrefix("~") { return (path as NSString).expandingTildeInPath }
        var base = directory ?? FileManager.default.currentDirectoryPath
        if !base.hasPrefix("/") { base = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(base) }
        return ((base as NSString).appendingPathComponent(path) as NSString).standardizingPath
    }
}
