import Foundation

/// Words for commands that hpo suggests to the user, quoted so that pasting them into a POSIX shell keeps each word
/// whole (paths with spaces, Z85 keys with `$` or `&` are common).
public enum ShellQuoting {
    /// `word` as is when it holds only characters a shell never interprets, otherwise in single quotes (a `'`
    /// inside written as `'\''`).
    public static func quote(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { scalar in
            (scalar.value >= 0x30 && scalar.value <= 0x39) || (scalar.value >= 0x41 && scalar.value <= 0x5A)
                || (scalar.value >= 0x61 && scalar.value <= 0x7A) || "/._-+:=@,%".unicodeScalars.contains(scalar)
        }
        if plain { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The words joined by spaces, each quoted as needed.
    public static func command(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }

    /// The command that resumes the session started by `arguments` (this process's command line): the same words
    /// with `hpo` as the program, `--overwrite` left out and `--resume` added when missing.
    public static func resuming(_ arguments: [String]) -> String {
        var words = ["hpo"] + arguments.dropFirst().filter { $0 != "--overwrite" }
        if !words.contains("--resume") { words.append("--resume") }
        return command(words)
    }
}
