import ArgumentParser
import Foundation
import HPORuntimeSupport

/// `hpo keygen`: creates the CURVE key directory a secured study shares (README, *Security*).
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create CURVE keys for a secured study (one directory shared by the coordinator and workers).",
        discussion: """
            `hpo keygen DIR` writes DIR/coordinator.key (secret, mode 0600), DIR/coordinator.pub, DIR/worker.key \
            (secret, 0600) and DIR/allowed/worker.pub. Start the coordinator with --keys DIR (it admits the keys in \
            DIR/allowed/, re-read on SIGHUP) and workers and `hpo status` with --keys DIR (they verify the coordinator \
            with DIR/coordinator.pub and authenticate with DIR/worker.key). `hpo keygen --worker NAME DIR` adds \
            DIR/NAME.key and DIR/allowed/NAME.pub (use it with `hpo worker --keys DIR --key DIR/NAME.key`). Existing \
            key files are never overwritten. Exit status: 0, 1 when a file exists or cannot be written, 64 usage.
            """
    )

    @Argument(help: "The key directory (created if missing).")
    var directory: String

    @Option(name: .long, help: "Add one more client key named NAME (DIR/NAME.key and DIR/allowed/NAME.pub) to an existing directory.")
    var worker: String?

    func run() throws {
        let keys = CurveKeyDirectory(directory)
        let written: [String]
        do {
            if let worker {
                guard FileManager.default.fileExists(atPath: keys.coordinatorPublicKeyPath) else {
                    StudyCommandSupport.writeError(
                        "error: \(keys.coordinatorPublicKeyPath) does not exist; create the directory first with `hpo keygen \(directory)`")
                    throw ExitCode(1)
                }
                written = try keys.addClient(named: worker)
            } else {
                written = try CurveKeyDirectory.create(at: directory)
            }
        } catch let error as CurveKeyError {
            StudyCommandSupport.writeError(StudyCommandSupport.errorLine(error))
            throw ExitCode(1)
        }
        for path in written {
            print("wrote \(path)")
        }
        let quoted = StudyCommandSupport.shellQuoted(directory)
        if worker == nil {
            print("""
                next:
                  hpo coordinator study.yaml --bind 'tcp://*:5555' --keys \(quoted)
                  hpo worker --connect tcp://<coordinator-host>:5555 --keys \(quoted) --study <study name>
                  hpo status --connect tcp://<coordinator-host>:5555 --keys \(quoted)
                """)
        } else {
            print("send SIGHUP to a running coordinator to admit the new key (kill -HUP <pid>)")
        }
    }
}
