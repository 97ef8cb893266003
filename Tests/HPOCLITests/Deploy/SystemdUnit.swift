import Foundation
import HPOTestSupport

/// A systemd unit file and the environment file it reads, enough to expand its `ExecStart=` as systemd does.
struct SystemdUnit {
    /// `key → values` per section (a key may repeat, e.g. `EnvironmentFile=`).
    let sections: [String: [String: [String]]]

    /// The repository's `deploy/systemd` directory.
    static let directory = KubernetesManifests.directory.deletingLastPathComponent().appendingPathComponent("systemd")

    /// Parses `text` (`[Section]` headers, `Key=value` lines, `#`/`;` comments).
    ///
    /// - Throws: `TestSupportError` for a line that is neither.
    init(_ text: String) throws {
        var sections: [String: [String: [String]]] = [:], current = ""
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                current = String(line.dropFirst().dropLast())
                continue
            }
            guard let equals = line.firstIndex(of: "="), !current.isEmpty else {
                throw TestSupportError("unit line \(number + 1): expected Key=value in a section, got \"\(line)\"")
            }
            sections[current, default: [:]][String(line[..<equals]), default: []].append(String(line[line.index(after: equals)...]))
        }
        self.sections = sections
    }

    /// The last value of `key` in `section`.
    func value(_ section: String, _ key: String) -> String? { sections[section]?[key]?.last }

    /// `KEY=value` lines of an environment file (`#` comments), as systemd's `EnvironmentFile=` reads them unquoted.
    static func environment(_ text: String) -> [String: String] {
        var environment: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            environment[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return environment
    }

    /// `command` expanded as systemd does: `${VAR}` is one word, a word `$VAR` becomes the value split at
    /// whitespace (zero or more words), `%i` the instance and `%H` the host name.
    static func expand(_ command: String, environment: [String: String], instance: String, host: String = "node") -> [String] {
        command.split(whereSeparator: \.isWhitespace).flatMap { word -> [String] in
            var word = String(word).replacingOccurrences(of: "%i", with: instance).replacingOccurrences(of: "%H", with: host)
            if word.hasPrefix("$"), !word.hasPrefix("${") {
                return (environment[String(word.dropFirst())] ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
            }
            for (name, value) in environment { word = word.replacingOccurrences(of: "${\(name)}", with: value) }
            return [word]
        }
    }
}
