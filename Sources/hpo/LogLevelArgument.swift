import ArgumentParser
import Logging

/// The `--log-level` value of `hpo run`, `hpo coordinator` and `hpo worker`.
enum LogLevelArgument {
    /// Throws a usage error (exit 64) unless `text` is nil or one of swift-log's level names.
    static func validate(_ text: String?) throws {
        if let text, Logger.Level(rawValue: text) == nil {
            throw ValidationError("--log-level: expected one of trace, debug, info, notice, warning, error, critical, got \"\(text)\"")
        }
    }
}
