import ArgumentParser
import Foundation
import Glibc

/// `hpo-bench hostile`: a study with honest `hpo worker` processes while strangers attack the coordinator's port at
/// once (garbage frames, a READY flood from identities that disconnect, a STATUS_REQUEST flood that never reads its
/// replies, 11 MB frames). Reports whether exactly the budget completed, the honest throughput against an unattacked
/// baseline run (target ≥ 80 %), and the coordinator's peak RSS (VmHWM, target ≤ 150 MB).
///
/// All attack traffic goes to 127.0.0.1 only, is bounded in count and by `--attack-seconds`, and stops by itself
/// (also as soon as the study ends).
struct HostileBenchmark: Benchmark {
    @Option(help: "Trials in the study.")
    var trials = 100

    @Option(help: "Honest `hpo worker` processes.")
    var workers = 2

    @Option(help: "Simulated seconds per trial (test-function objective); long enough by default that every attack is delivered while the study runs.")
    var trialSeconds = 0.2

    @Option(help: "Garbage messages (random frames, some malformed hpo).")
    var garbage = 200_000

    @Option(help: "Identities in the READY flood (each connects, sends READY and disconnects).")
    var readyFlood = 20_000

    @Option(help: "STATUS_REQUESTs sent by a client that never reads the replies.")
    var statusFlood = 200_000

    @Option(help: "11 MB frames sent (each on a new connection).")
    var bigFrames = 25

    @Option(help: "The study's budget.max_failures (default: the study file's default, max(10, trials / 5)).")
    var maxFailures: Int?

    @Option(help: "Upper bound on each attack's duration, in seconds.")
    var attackSeconds = 120.0

    @Option(help: "Give up on a run after this many seconds.")
    var runTimeout = 600.0

    @Flag(help: "Skip the unattacked baseline run.")
    var skipBaseline = false

    @Flag(help: "Print the figures as one JSON object.")
    var json = false

    @Option(help: "Copy the attacked run's coordinator log to this file.")
    var keepLog: String?

    @OptionGroup var executable: HPOExecutableOption

    /// `--attack-seconds` as a duration.
    var attackLimit: Duration { .milliseconds(Int(attackSeconds * 1000)) }

    func validate() throws {
        guard trials >= 1, workers >= 1 else { throw ValidationError("--trials and --workers: at least 1") }
        guard garbage >= 0, readyFlood >= 0, statusFlood >= 0, bigFrames >= 0 else {
            throw ValidationError("attack counts must be ≥ 0")
        }
        guard attackSeconds > 0, runTimeout > 0, trialSeconds >= 0 else {
            throw ValidationError("--attack-seconds, --run-timeout must be > 0 and --trial-seconds ≥ 0")
        }
    }

    func run() throws {
        let binary = try executable.path()
        let baseline = skipBaseline ? nil : try HostileStudyRun.run(self, hpo: binary, attacked: false)
        if let baseline, !json { print(baseline.line(label: "baseline")) }
        let attacked = try HostileStudyRun.run(self, hpo: binary, attacked: true)
        if !json { print(attacked.line(label: "attacked")) }
        let ratio = baseline.map { attacked.throughput / $0.throughput }
        let exact = attacked.session.completed == trials && (baseline?.session.completed ?? trials) == trials
        if json {
            var object: [String: Any] = [
                "trials": trials, "completed": attacked.session.completed, "failed": attacked.session.failed, "exact": exact,
                "attacked_seconds": attacked.seconds, "attacked_trials_per_second": attacked.throughput,
                "peak_rss_mb": attacked.peakRSSMegabytes, "log_lines": attacked.logLines,
                "reply_drop_notices": attacked.replyDropNotices,
                "attack_sent": attacked.attackCounts, "state": attacked.session.state,
            ]
            if let baseline {
                object["baseline_seconds"] = baseline.seconds
                object["baseline_trials_per_second"] = baseline.throughput
                object["baseline_peak_rss_mb"] = baseline.peakRSSMegabytes
            }
            if let ratio { object["throughput_ratio"] = ratio }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("attack sent: " + attacked.attackCounts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            print("exactly \(trials) completed: \(exact ? "yes" : "NO (\(attacked.session.completed))")")
            if let ratio { print(String(format: "honest throughput under attack: %.0f %% of baseline (target ≥ 80 %%)", ratio * 100)) }
            print(String(format: "coordinator peak RSS (VmHWM): %.1f MB (target ≤ 150 MB)", attacked.peakRSSMegabytes))
        }
        if !exact { throw ExitCode(1) }
    }
}
