import Foundation
import HPOTestSupport

/// One `hpo` subcommand as the built binary defines it: the arguments ArgumentParser declares
/// (`hpo CMD --experimental-dump-help`) and the exit statuses its help lists ("Exit status: 0 completed, 1 failed, …").
struct HPOCommandDefinition {
    /// The subcommand, e.g. `worker`.
    let name: String
    /// Long names of the options that take a value, with dashes (`--bind`).
    let options: Set<String>
    /// Long names of the flags that take none (`--resume`).
    let flags: Set<String>
    /// How many positional arguments it takes at most.
    let positionalCount: Int
    /// Exit status → what it means, from the help's "Exit status:" sentence (empty when the help has none).
    let exitStatuses: [Int32: String]

    /// Runs `hpo <name> --experimental-dump-help` on the built binary and reads its definition.
    ///
    /// - Throws: `TestSupportError` when the binary is missing, fails, or prints no command of that name.
    static func load(_ name: String) throws -> HPOCommandDefinition {
        let (status, stdout, stderr) = try HPOProcess.run(try HPOBinary.url(), [name, "--experimental-dump-help"], timeout: 60)
        guard status == 0 else {
            throw TestSupportError("hpo \(name) --experimental-dump-help exited \(status.map(String.init) ?? "killed"): \(stderr)")
        }
        let dump = try JSONDecoder().decode(HelpDump.self, from: Data(stdout.utf8))
        guard dump.command.commandName == name else {
            throw TestSupportError("hpo \(name) --experimental-dump-help described \"\(dump.command.commandName)\"")
        }
        var options = Set<String>(), flags = Set<String>(), positionals = 0
        for argument in dump.command.arguments ?? [] {
            let longNames = (argument.names ?? []).filter { $0.kind == "long" }.map { "--" + $0.name }
            switch argument.kind {
            case "option": options.formUnion(longNames)
            case "flag": flags.formUnion(longNames)
            case "positional": positionals += 1
            default: throw TestSupportError("hpo \(name): unknown argument kind \(argument.kind)")
            }
        }
        return HPOCommandDefinition(
            name: name, options: options, flags: flags, positionalCount: positionals,
            exitStatuses: exitStatuses(in: dump.command.discussion ?? ""))
    }

    /// Parses "Exit status: 0 completed, 1 failed (…, …), 64 usage." into `[0: "completed", 1: "failed", 64: "usage"]`.
    /// Parenthesized remarks are dropped; an item is a number followed by words, up to the next ", <number> ".
    static func exitStatuses(in discussion: String) -> [Int32: String] {
        guard let start = discussion.range(of: "Exit status:") else { return [:] }
        var text = "", depth = 0
        for character in discussion[start.upperBound...] {
            if character == "(" { depth += 1 } else if character == ")" { depth = max(0, depth - 1) } else if depth == 0 { text.append(character) }
        }
        text = String(text.prefix { $0 != "." })
        var statuses: [Int32: String] = [:]
        let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var current: (code: Int32, meaning: String)?
        for item in items {
            let words = item.split(separator: " ", maxSplits: 1)
            if let first = words.first, let code = Int32(first) {
                if let current { statuses[current.code] = current.meaning }
                current = (code, words.count > 1 ? String(words[1]) : "")
            } else if let previous = current {
                current = (previous.code, previous.meaning + ", " + item)
            }
        }
        if let current { statuses[current.code] = current.meaning }
        return statuses
    }
}

/// The part of ArgumentParser's `--experimental-dump-help` JSON that names arguments.
private struct HelpDump: Decodable {
    struct Command: Decodable {
        var commandName: String
        var discussion: String?
        var arguments: [Argument]?
    }
    struct Argument: Decodable {
        var kind: String
        var names: [Name]?
    }
    struct Name: Decodable {
        var kind: String
        var name: String
    }
    var command: Command
}
