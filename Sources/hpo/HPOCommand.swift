import ArgumentParser

/// The `hpo` command line: one subcommand per way of running a study.
@main
struct HPOCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hpo",
        abstract: "Distributed hyperparameter optimization: a Bayesian coordinator and ZeroMQ workers.",
        subcommands: [
            RunCommand.self,
            CoordinatorCommand.self,
            WorkerCommand.self,
            StatusCommand.self,
            ShowCommand.self,
            KeygenCommand.self,
        ]
    )
}
