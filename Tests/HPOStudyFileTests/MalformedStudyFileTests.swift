import Foundation
import Testing
import HPOStudyFile
import HPOObjectives

/// Every file of the malformed-study-file corpus (`Fixtures/malformed-study-files`, plus a few generated here
/// because they are large) is refused with a `file:line:` error saying what is wrong.
///
/// Time is not asserted here (speed targets belong in benchmarks); the parser is bounded by construction instead:
/// study files are capped at 1 MiB, and anchors, aliases, deep nesting and duplicate keys are refused on the YAML
/// event stream, in one linear pass, before any tree is built.
@Suite struct MalformedStudyFileTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/malformed-study-files")

    /// The line each corpus file is refused at, and a part of the message.
    static let expected: [String: (line: Int, message: String)] = [
        "alias-bomb.yaml": (6, "objective.a: YAML anchors (&a) and aliases are not supported in a study file"),
        "billion-laughs-keys.yaml": (3, "lol: YAML anchors (&l0) and aliases are not supported"),
        "undefined-alias.yaml": (4, "objective.seed: YAML aliases (*nothing) are not supported in a study file; write the value out"),
        "merge-key.yaml": (4, "defaults: YAML anchors (&defaults)"),
        "anchor-only.yaml": (4, "objective: YAML anchors (&obj)"),
        "deep-flow-nesting.yaml": (4, "lists and mappings are nested more than 64 levels deep"),
        "deep-block-nesting.yaml": (69, "lists and mappings are nested more than 64 levels deep"),
        "duplicate-top-key.yaml": (5, "budget: duplicate key (first at line 3); keep one of them"),
        "duplicate-nested-key.yaml": (5, "space.x: duplicate key (first at line 3)"),
        "duplicate-flow-key.yaml": (2, "space.x.low: duplicate key (first at line 2)"),
        "duplicate-quoted-key.yaml": (4, "objective.1: duplicate key (first at line 4)"),
        "complex-key.yaml": (4, "objective: a key must be a plain name, got a list"),
        "latin1.yaml": (5, "the study file is not UTF-8 at byte 101 (0xE9); save it as UTF-8, e.g. iconv -f latin1"),
        "utf16.yaml": (1, "not UTF-8 at byte 0 (0xFF) (it starts with a UTF-16 byte order mark)"),
        "control-character.yaml": (5, "not valid YAML: control characters are not allowed at byte 105"),
        "bind-port-too-large.yaml": (5, #"transport.bind: "tcp://127.0.0.1:99999": the port must be a number 0–65535 or *, got "99999""#),
        "bind-port-signed.yaml": (5, #"the port must be a number 0–65535 or *, got "+5555""#),
        "connect-port-zero.yaml": (5, #"transport.connect: "tcp://head:0": the port must be a number 1–65535, got "0""#),
        "connect-port-any.yaml": (5, #"the port must be a number 1–65535, got "*""#),
        "two-documents.yaml": (5, "a second YAML document starts here (---); a study file is one document"),
        "unclosed-flow.yaml": (3, "not valid YAML: did not find expected ',' or '}'"),
        "duplicate-categorical-choice.yaml": (3, #"space.opt: choice 1.0 (number 5) appears twice in [sgd, adam, 1, "1", 1.0]"#),
    ]

    @Test func everyCorpusFileHasAnExpectation() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter { $0.hasSuffix(".yaml") }
        #expect(Set(names) == Set(Self.expected.keys))
    }

    @Test(arguments: expected.keys.sorted())
    func corpusFileIsRefusedAtItsLine(_ name: String) throws {
        let path = Self.corpus.appendingPathComponent(name).path
        let expectation = try #require(Self.expected[name])
        let message = try #require(Self.loadError(path))
        #expect(message.hasPrefix("\(path):\(expectation.line): "), "\(message)")
        #expect(message.contains(expectation.message), "\(message)")
        #expect(message.count < 600, "the error echoes too much: \(message.count) characters")
    }

    /// Files too large to check in: a study file over the 1 MiB cap, and a categorical of 20,000 choices (under
    /// the cap) whose duplicate is the last choice.
    @Test func largeFilesAreRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hpo-malformed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let huge = directory.appendingPathComponent("huge.yaml").path
        let padding = String(repeating: "# padding padding padding padding padding padding padding padding\n", count: 20_000)
        try (StudyFileSample.minimal + "\n" + padding).write(toFile: huge, atomically: true, encoding: .utf8)
        let hugeError = try #require(Self.loadError(huge))
        #expect(hugeError.hasPrefix("\(huge): the study file is larger than 1 MiB ("), "\(hugeError)")

        let choices = (0..<20_000).map { "c\($0)" } + ["c7"]
        let categorical = directory.appendingPathComponent("many-choices.yaml").path
        try """
            name: s
            space:
              opt: {type: categorical, choices: [\(choices.joined(separator: ", "))]}
            budget: {trials: 10}
            objective: {kind: "null"}
            """.write(toFile: categorical, atomically: true, encoding: .utf8)
        let categoricalError = try #require(Self.loadError(categorical))
        #expect(categoricalError.hasPrefix("\(categorical):3: space.opt: choice c7 (number 20001) appears twice in [c0, c1, "), "\(categoricalError)")
        #expect(categoricalError.count < 600)

        let directoryError = try #require(Self.loadError(directory.path))
        #expect(directoryError == "\(directory.path): is a directory; name the study file (e.g. \(directory.path)/study.yaml)")
        let missing = directory.appendingPathComponent("missing.yaml").path
        #expect(Self.loadError(missing) == "\(missing): cannot open the study file (No such file or directory); check the path")
    }

    /// Aliases and anchors are refused even in text that reads them as plain characters elsewhere: quoted and
    /// mid-scalar `&`, `*` and `'` stay text.
    @Test func ampersandsAndStarsInTextAreNotAliases() throws {
        let yaml = StudyFileSample.minimal.replacingOccurrences(
            of: #"objective: {kind: "null"}"#,
            with: #"objective: {kind: command, argv: [sh, -c, "ls *.txt && echo it's", a&b, x*y, 'it''s *']}"#)
        #expect(StudyFileSample.error(yaml) == nil)
    }

    static func loadError(_ path: String) -> String? {
        do {
            _ = try StudyConfig.load(contentsOf: path)
            return nil
        } catch {
            return error.description
        }
    }
}
