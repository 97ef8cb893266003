import Foundation
import HPOMath
import HPORuntimeSupport

/// The line every table header carries, so a figure is never quoted without its machine and BLAS kernels.
enum BenchMachine {
    /// e.g. `[AMD EPYC 9R14, 2 vCPUs, BLAS kernels Cooperlake (detected by OpenBLAS), 1 BLAS thread, vector kernels
    /// avx2-fma (the widest this CPU runs)]`.
    static var line: String {
        let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuInfo.split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        let threads = Float32BLAS.threadCount
        return "[\(model), \(ProcessInfo.processInfo.activeProcessorCount) vCPUs, BLAS kernels \(BLASKernelSelection.inUse), \(threads) BLAS thread\(threads == 1 ? "" : "s"), vector kernels \(VectorKernelSelection.inUse)]"
    }

    /// Prints `title` followed by the machine line.
    static func printTitle(_ title: String) {
        print("\(title) \(line)")
    }
}
