import Testing
import HPOOutput

@Suite struct ShellQuotingTests {
    @Test(arguments: [
        ("study.yaml", "study.yaml"), ("/data/my study.yaml", "'/data/my study.yaml'"), ("it's", "'it'\\''s'"),
        ("-Key$with&chars", "'-Key$with&chars'"), ("--workers", "--workers"), ("", "''"), ("tcp://127.0.0.1:5555", "tcp://127.0.0.1:5555"),
    ])
    func wordsAreQuotedOnlyWhenAShellWouldChangeThem(word: String, quoted: String) {
        #expect(ShellQuoting.quote(word) == quoted)
    }

    @Test func theResumeCommandDropsOverwriteAndAddsResume() {
        #expect(ShellQuoting.resuming(["/usr/bin/hpo", "run", "a b.yaml", "--overwrite", "--workers", "4"])
            == "hpo run 'a b.yaml' --workers 4 --resume")
        #expect(ShellQuoting.resuming(["hpo", "coordinator", "s.yaml", "--resume"]) == "hpo coordinator s.yaml --resume")
    }
}
