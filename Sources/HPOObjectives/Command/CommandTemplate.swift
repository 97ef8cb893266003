import HPOSearchSpace

/// An argv template with `{name}` placeholders, filled per trial.
///
/// `{name}` becomes the parameter's value as written in a study file (`0.001`, `32`, `adam`, `true`);
/// `{trial_id}` and `{attempt}` are always available; `{{name}}` is the literal text `{name}`.
struct CommandTemplate: Sendable {
    /// A piece of one argument: literal text or a placeholder.
    enum Piece: Sendable, Equatable {
        case text(String)
        case placeholder(String)
    }

    /// The parsed arguments, each a list of pieces.
    let arguments: [[Piece]]

    /// Placeholders that are always defined.
    static let builtins: Set<String> = ["trial_id", "attempt"]

    /// Parses `argv`: `{identifier}` (letters, digits, `_`, `-`, `.`; not starting with a digit) is a
    /// placeholder, `{{identifier}}` is the literal text `{identifier}`, and every other brace is literal
    /// (so inline JSON or code in an argument needs no escaping).
    init(_ argv: [String]) {
        arguments = argv.map(Self.parse)
    }

    private static func parse(_ argument: String) -> [Piece] {
        let characters = Array(argument)
        var pieces: [Piece] = []
        var text = ""
        var index = 0
        while index < characters.count {
            if characters[index] == "{", let (name, end) = identifier(in: characters, from: index + 1) {
                if !text.isEmpty { pieces.append(.text(text)) }
                text = ""
                pieces.append(.placeholder(name))
                index = end + 1
            } else if characters[index] == "{", index + 1 < characters.count, characters[index + 1] == "{",
                      let (name, end) = identifier(in: characters, from: index + 2), end + 1 < characters.count,
                      characters[end + 1] == "}" {
                text += "{\(name)}"
                index = end + 2
            } else {
                text.append(characters[index])
                index += 1
            }
        }
        if !text.isEmpty || pieces.isEmpty { pieces.append(.text(text)) }
        return pieces
    }

    /// An identifier starting at `start` and closed by `}`: the name and the index of the `}`.
    private static func identifier(in characters: [Character], from start: Int) -> (String, Int)? {
        var end = start
        while end < characters.count, characters[end].isASCII,
              characters[end].isLetter || characters[end].isNumber || "_-.".contains(characters[end]) {
            end += 1
        }
        guard end > start, end < characters.count, characters[end] == "}", !characters[start].isNumber else { return nil }
        return (String(characters[start..<end]), end)
    }

    /// Every placeholder name used, in order of first use.
    var placeholders: [String] {
        var seen: [String] = []
        for case .placeholder(let name) in arguments.joined() where !seen.contains(name) { seen.append(name) }
        return seen
    }

    /// The argv for one trial.
    ///
    /// - Throws: `WorkerError` naming a placeholder with no value among the trial's parameters.
    func render(parameters: Assignment, trialID: Int, attempt: Int) throws(WorkerError) -> [String] {
        var argv: [String] = []
        for pieces in arguments {
            var argument = ""
            for piece in pieces {
                switch piece {
                case .text(let text):
                    argument += text
                case .placeholder("trial_id"):
                    argument += "\(trialID)"
                case .placeholder("attempt"):
                    argument += "\(attempt)"
                case .placeholder(let name):
                    guard let value = parameters[name] else {
                        throw WorkerError(
                            .missingPlaceholder,
                            "argv uses {\(name)} but the trial has no parameter \"\(name)\" (it has: \(parameters.keys.sorted().joined(separator: ", ")))")
                    }
                    argument += "\(value)"
                }
            }
            argv.append(argument)
        }
        return argv
    }
}
