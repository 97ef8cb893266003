import ArgumentParser
import Dispatch
import Foundation
import Glibc
import Logging
import HPOCoordinatorRuntime
import HPOOutput
import HPORuntimeSupport
import HPOStudyFile
import HPOObjectives

/// What `hpo run` and `hpo coordinator` share: loading the study, starting the session, signals, output.
enum StudyCommandSupport {
    /// Logs to standard error at `level`; above the live view when `display` is given.
    static func bootstrapLogging(level: Logger.Level, label: String, display: LiveDisplay? = nil) -> Logger {
        LoggingSystem.bootstrap { label in
            guard let display else {
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            var handler = LiveDisplayLogHandler(label: label, display: display)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: label)
        logger.info("\(BLASKernelSelection.startLine)")
        return logger
    }

    /// The journal `path` names: the path itself, or the journal of the study file it names (`.yaml`/`.yml`).
    ///
    /// - Throws: `StudyFileError` when the study file cannot be read.
    static func journalPath(for path: String) throws -> String {
        guard path.hasSuffix(".yaml") || path.hasSuffix(".yml") else { return path }
        return try StudyConfig.load(contentsOf: path, checksObjective: false).journalPath
    }

    /// Loads the study file or exits 65 with the error (file, line, key path, what to do); with `localWorkers`
    /// (`hpo run`) the objective's paths are resolved against the study file's directory and checked now.
    static func loadStudy(_ path: String, localWorkers: Bool = false) throws -> StudyConfig {
        try exitingOnDataError { try StudyConfig.load(contentsOf: path, localWorkers: localWorkers) }
    }

    /// Runs `body`; an error it throws is a data error: printed as `error[<code>]: …` (`error: …` for an error
    /// without a code) on standard error, then exit 65.
    ///
    /// For reading a study file or a journal that is missing, damaged or not hpo's (`hpo show`, `report`, `export`,
    /// `logs`, and the study file of `hpo run`).
    static func exitingOnDataError<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            writeError(StudyCommandSupport.errorLine(error))
            throw ExitCode(65)
        }
    }

    /// Opens the session, or exits with the reason: 65 for the study file or its journal (used, locked, for
    /// another study), else 1.
    static func openSession(_ config: StudyConfig, options: StudySessionOptions, logger: Logger) throws -> StudySession {
        do {
            return try StudySession(config: config, options: options, logger: logger)
        } catch {
            writeError(StudyCommandSupport.errorLine(error))
            throw ExitCode(error.exitCode)
        }
    }

    /// Starts the coordinator; returns its endpoint or exits 1.
    static func start(_ session: StudySession) throws -> String {
        do {
            return try session.service.start()
        } catch {
            writeError(StudyCommandSupport.errorLine(error))
            throw ExitCode(1)
        }
    }

    /// The coordinator's CURVE settings: the secret key from HPO_COORDINATOR_SECRET_KEY, else a fresh pair.
    static func curve(allowing keys: [String]) throws -> CoordinatorKeys {
        let allowed = keys.isEmpty ? nil : Set(keys)
        do {
            if let secret = ProcessInfo.processInfo.environment["HPO_COORDINATOR_SECRET_KEY"] {
                return try CoordinatorKeys(secretKey: secret, allowedClientKeys: allowed)
            }
            return try CoordinatorKeys.generated(allowedClientKeys: allowed)
        } catch {
            writeError(StudyCommandSupport.errorLine(error))
            throw ExitCode(64)
        }
    }

    /// The coordinator's CURVE settings from `--keys DIR` (and `--allow PATH`), or exits 64 naming the file.
    static func curve(keys: String, allow: String?) throws -> CoordinatorKeys {
        do {
            return try CoordinatorKeys(
                keyDirectory: CurveKeyDirectory(keys), allowList: allow.map { CurveAllowList(path: $0) })
        } catch {
            writeError(StudyCommandSupport.errorLine(error))
            throw ExitCode(64)
        }
    }

    /// Refuses (exit 64, saying how to set up keys) a bind that is not loopback without CURVE or --insecure; with
    /// --insecure on such a bind, logs a warning (at every start).
    static func checkBindSecurity(_ bind: String, curve: Bool, insecure: Bool, logger: Logger) throws {
        guard !curve, !EndpointSecurity.isLocalOnly(bind) else { return }
        guard insecure else {
            writeError("error: \(CoordinatorServiceOptions.plainBindRefusal(bind))")
            throw ExitCode(64)
        }
        let text = "--insecure: binding \(bind) without CURVE; anyone who reaches this port can take trials, "
            + "report results and read the study. Use --keys DIR (hpo keygen DIR) unless this network is trusted"
        logger.warning("\(text)")
    }

    /// `text` as one shell word: single-quoted unless it is plainly safe (Z85 keys hold `$`, `&`, `<`, `*`, …).
    static func shellQuoted(_ text: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,")
        if !text.isEmpty, text.allSatisfy({ safe.contains($0) }) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Writes `text` and a newline to `path` atomically (a temporary file renamed into place), so a reader that
    /// sees the file sees all of it.
    static func writeAtomically(_ text: String, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        do {
            try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: temporary))
            if rename(temporary, path) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            writeError("error: --endpoint-file: cannot write \(path): \(error.localizedDescription); check the directory")
            throw ExitCode(1)
        }
    }

    /// Prints an error and exits 1 (for failures after the coordinator started).
    static func fail(_ message: String) -> Never {
        writeError("error: \(message)")
        Glibc.exit(1)
    }

    /// This executable's path (local workers run the same binary).
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "/proc/self/exe"
    }

    /// SIGINT/SIGTERM: the first stops dispatching, the second stops at once (and runs `onSecond`).
    static func forwardStopSignals(to service: CoordinatorService, onSecond: @escaping @Sendable () -> Void) -> [any DispatchSourceSignal] {
        StopSignals.forward { count, _ in
            service.stop(immediately: count > 1)
            if count > 1 { onSecond() }
        }
    }

    /// The live view for `config`'s session (docs/coordinator.md, *Live view*): redrawn in place when standard error
    /// is a terminal, else a plain progress line every 10 s; nil with `--no-progress`.
    static func liveDisplay(_ config: StudyConfig, disabled: Bool) -> LiveDisplay? {
        disabled ? nil : LiveDisplay(study: config.name, metric: config.metric, terminal: LiveDisplay.standardErrorIsTerminal)
    }

    /// `error[<code>]: <description>` for an error with a stable code (docs/coordinator.md, *Error codes*), else
    /// `error: <description>`.
    static func errorLine(_ error: any Error) -> String {
        (error as? any CodedError)?.errorLine ?? "error: \(error)"
    }

    /// The text of a usage error (exit 64) made from `error`: `[<code>] <description>` when it has a stable code.
    static func validationText(_ error: any Error) -> String {
        (error as? any CodedError).map { "[\($0.codeText)] \($0)" } ?? "\(error)"
    }

    /// One line on standard error.
    static func writeError(_ text: String) {
        var bytes = Array((text + "\n").utf8)
        _ = Glibc.write(2, &bytes, bytes.count)
    }
}
