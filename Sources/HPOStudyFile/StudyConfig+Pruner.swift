import HPOCoordinatorCore
import HPOWire

/// The study file's `pruner:` section (docs/study-file.md, *pruner*). Every key, with its default:
///
/// ```yaml
/// pruner:
///   kind: asha                  # none (default) | median | asha | hyperband
///   reduction_factor: 3         # asha, hyperband: η ≥ 2, one trial in η continues past each rung
///   min_resource: 4             # asha, hyperband: steps of the first rung, ≥ 1 (default ⌈max_resource / η³⌉, or 1)
///   max_resource: 100           # asha, hyperband: default the mlp objective's epochs; else asha: no limit, hyperband: required
///   min_early_stopping_rate: 0  # asha: rung 0 at min_resource × η^rate, ≥ 0
///   warmup_steps: 0             # median: judged from this step on, ≥ 0
///   min_trials: 5               # median: completed trials needed before any judgment, ≥ 1
///   interval_steps: 1           # median: steps between judgments, ≥ 1
///   pruned_trials: last_value   # last_value | ignore: what the optimizer is told about a pruned trial
/// ```
extension StudyConfig {
    /// The keys each pruner kind accepts (besides `kind` and `pruned_trials`).
    static let prunerKeys: [String: Set<String>] = [
        "none": [],
        "median": ["warmup_steps", "min_trials", "interval_steps"],
        "asha": ["reduction_factor", "min_resource", "max_resource", "min_early_stopping_rate"],
        "hyperband": ["reduction_factor", "min_resource", "max_resource"],
    ]

    /// Reads `pruner:`; absent means no pruning.
    ///
    /// - Throws: ``StudyFileError`` naming the key (`pruner.reduction_factor`), echoing the value and saying what
    ///   to do; also for a key that another kind takes.
    static func parsePruner(
        _ top: YAMLMappingReader, objective: ObjectiveDescriptor
    ) throws(StudyFileError) -> (PrunerSettings, PrunedTrialTreatment) {
        let every = prunerKeys.values.reduce(into: Set(["kind", "pruned_trials"])) { $0.formUnion($1) }
        guard let section = try top.section("pruner", known: every.sorted()) else { return (.none, .lastValue) }
        let kind = try section.string("kind")?.lowercased() ?? "none"
        guard let accepted = prunerKeys[kind] else {
            throw section.error("kind", "expected one of none, median, asha, hyperband, got \"\(kind)\"")
        }
        for key in every.subtracting(accepted).subtracting(["kind", "pruned_trials"]).sorted() where section.value(key) != nil {
            let takers = prunerKeys.filter { $0.value.contains(key) }.keys.sorted().joined(separator: ", ")
            throw section.error(key, "is not a setting of pruner kind \(kind) (it is one of \(takers)); remove it or change kind")
        }
        let treatment = try section.choice("pruned_trials", PrunedTrialTreatment.self) ?? .lastValue
        switch kind {
        case "median":
            let settings = PrunerSettings.median(
                warmupSteps: try section.int("warmup_steps", minimum: 0, what: "an integer >= 0") ?? 0,
                minTrials: try section.int("min_trials", minimum: 1, what: "a positive integer") ?? 5,
                intervalSteps: try section.int("interval_steps", minimum: 1, what: "a positive integer") ?? 1)
            return (settings, treatment)
        case "asha", "hyperband":
            let eta = try section.int("reduction_factor", minimum: 2, maximum: 1000, what: "an integer from 2 to 1000") ?? 3
            let givenMin = try section.int("min_resource", minimum: 1, what: "a positive integer (steps)")
            var maxResource = try section.int("max_resource", minimum: 1, what: "a positive integer (steps)")
            let defaultsMax = maxResource == nil && objective.kind == "mlp"
            if defaultsMax {
                maxResource = objective.options["epochs"]?.numberValue.flatMap { Int(exactly: $0) } ?? 50
            }
            let minResource = givenMin ?? Self.defaultMinResource(maxResource: maxResource, reductionFactor: eta)
            if let maxResource, maxResource <= minResource {
                let source = defaultsMax ? " (the mlp objective's epochs, its default)" : ""
                throw section.error(
                    "max_resource",
                    "is \(maxResource)\(source) but must be larger than min_resource (\(minResource)); raise it")
            }
            if kind == "asha" {
                let rate = try section.int("min_early_stopping_rate", minimum: 0, maximum: 60, what: "an integer from 0 to 60") ?? 0
                return (.asha(reductionFactor: eta, minResource: minResource, maxResource: maxResource, minEarlyStoppingRate: rate), treatment)
            }
            guard let maxResource else {
                throw section.error(
                    "max_resource",
                    "is required for hyperband with objective kind \(objective.kind) (the steps a trial runs to its end); "
                        + "add e.g. max_resource: 100")
            }
            return (.hyperband(reductionFactor: eta, minResource: minResource, maxResource: maxResource), treatment)
        default:
            return (.none, treatment)
        }
    }

    /// `min_resource` when the study file leaves it out: `⌈maxResource / η³⌉` (at most three rungs below
    /// `maxResource`, the first at about 4 % of it for η = 3), or 1 when the maximum is unknown.
    ///
    /// Measured on the digits study (docs/study-file.md, *Why `min_resource` is not 1*): the rank correlation of
    /// the epoch-1 accuracy with the epoch-100 one is 0.07–0.54, so a first rung at step 1 prunes future winners as
    /// often as chance and tells the optimizer their epoch-1 values.
    public static func defaultMinResource(maxResource: Int?, reductionFactor eta: Int) -> Int {
        guard let maxResource else { return 1 }
        let (square, overflowSquare) = eta.multipliedReportingOverflow(by: eta)
        let (cube, overflowCube) = square.multipliedReportingOverflow(by: eta)
        guard !overflowSquare, !overflowCube else { return 1 }
        return maxResource <= 0 ? 1 : max(1, (maxResource - 1) / cube + 1)
    }
}
