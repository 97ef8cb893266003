import ArgumentParser
import Foundation

extension OptimizerBenchmark {
    /// One BLAS kernel setting of `--kernels`: nil = the default (no `OPENBLAS_CORETYPE`; hpo-bench adopts the
    /// kernels it checks best for the CPU), else an `OPENBLAS_CORETYPE` value.
    typealias KernelSetting = String?

    func kernelSettings(_ text: String) throws -> [KernelSetting] {
        let settings: [KernelSetting] = text.split(separator: ",").map { $0.lowercased() == "default" ? nil : String($0) }
        guard !settings.isEmpty,
            settings.allSatisfy({ $0.map { !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber } } ?? true })
        else {
            throw ValidationError("--kernels is \"\(text)\"; give comma-separated settings, each `default` or an OPENBLAS_CORETYPE name, e.g. default,Haswell")
        }
        return settings
    }

    /// Runs this command once per setting in a child process (same arguments without `--kernels`), letting each
    /// print its tables, then prints the worse median of the settings for every regret cell.
    func runUnderKernels(_ settings: [KernelSetting]) throws {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let directory = try ScratchDirectory("kernels")
        defer { directory.remove() }
        var runs: [(setting: String, cells: [RegretCell])] = []
        for (index, setting) in settings.enumerated() {
            let label = setting.map { "OPENBLAS_CORETYPE=\($0)" } ?? "default kernels"
            print("==== \(label) ====")
            fflush(nil)  // the child writes to the same stdout
            let resultsPath = directory.file("\(index).json")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = Self.childArguments(CommandLine.arguments.dropFirst(), resultsFile: resultsPath)
            var environment = ProcessInfo.processInfo.environment
            // The parent may itself run on kernels hpo chose (docs/blas-kernels.md): the child decides afresh.
            environment["HPO_BLAS_CHOSEN"] = nil
            environment["OPENBLAS_CORETYPE"] = setting
            process.environment = environment
            try process.run()
            process.waitUntilExit()
            guard process.terminationReason == .exit, process.terminationStatus == 0 else {
                throw ValidationError("the run with \(label) failed (\(process.terminationReason == .exit ? "exit" : "signal") \(process.terminationStatus)); its output is above")
            }
            let cells = FileManager.default.fileExists(atPath: resultsPath) ? try RegretCell.read(from: resultsPath) : []
            runs.append((label, cells))
            print("")
        }
        guard let first = runs.first, !first.cells.isEmpty else { return }
        BenchMachine.printTitle("(b') Worse median of the \(runs.count) kernel settings (\(runs.map(\.setting).joined(separator: ", "))): then each setting's median [IQR] and kernels")
        print(pad("function", 14) + pad("optimizer", 12) + pad("worse", 8) + runs.map { pad($0.setting, 30) }.joined())
        for (index, cell) in first.cells.enumerated() {
            let medians = runs.map { $0.cells.indices.contains(index) ? $0.cells[index] : nil }
            let worse = medians.compactMap { $0?.median }.max() ?? .nan
            print(
                pad(cell.function, 14) + pad(cell.optimizer, 12) + pad(String(format: "%.2f", worse), 8)
                    + medians.map { other in
                        pad(other.map { Self.summary($0) } ?? "-", 30)
                    }.joined()
            )
        }
    }

    /// `median [IQR] core`, e.g. `0.63 [0.41, 0.80] Haswell`.
    static func summary(_ cell: RegretCell) -> String {
        String(format: "%.2f [%.2f, %.2f] ", cell.median, cell.lowerQuartile, cell.upperQuartile)
            + cell.kernels.prefix { $0 != " " }
    }

    /// `arguments` without `--kernels` (either spelling), plus the hidden results file.
    static func childArguments(_ arguments: ArraySlice<String>, resultsFile: String) -> [String] {
        var result: [String] = []
        var skipNext = false
        for argument in arguments {
            if skipNext { skipNext = false; continue }
            if argument == "--kernels" { skipNext = true; continue }
            if argument.hasPrefix("--kernels=") { continue }
            result.append(argument)
        }
        return result + ["--results-file", resultsFile]
    }
}
