import ArgumentParser

/// `--resume` and `--overwrite`, shared by `hpo run` and `hpo coordinator`: what to do with an existing journal.
struct JournalStartOptions: ParsableArguments {
    @Flag(name: .long, help: "Continue the study recorded in the journal.")
    var resume = false

    @Flag(name: .long, help: "Delete the study's existing journal and start afresh.")
    var overwrite = false

    func validate() throws {
        if resume && overwrite {
            throw ValidationError("--resume and --overwrite exclude each other: continue the journal or replace it")
        }
    }
}
