import ArgumentParser
import HPOOutput
import HPORuntimeSupport

/// The `hpo` command line: one subcommand per way of running a study.
///
/// `hpo` alone prints the usage and exits 64 (a usage error: it does nothing); `hpo --version` prints the version.
@main
struct HPOCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hpo",
        abstract: "Distributed hyperparameter optimization: a Bayesian coordinator and ZeroMQ workers.",
        version: HPOVersion.current,
        subcommands: [
            RunCommand.self,
            CoordinatorCommand.self,
            WorkerCommand.self,
            StatusCommand.self,
            ShowCommand.self,
            EnqueueCommand.self,
            ReportCommand.self,
            ExportCommand.self,
            LogsCommand.self,
            KeygenCommand.self,
        ]
    )

    /// Adopts the BLAS kernels this CPU supports (re-executing once if needed: docs/blas-kernels.md), then runs the
    /// command line with ArgumentParser's own entry point.
    static func main() async {
        BLASKernelSelection.adoptBestKernels()
        await main(nil)
    }

    func run() async throws {
        StudyCommandSupport.writeError(Self.helpMessage())
        throw ExitCode(64)
    }
}
