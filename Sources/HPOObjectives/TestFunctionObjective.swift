import HPOMath
public import HPOOptimizer
public import HPOSearchSpace
public import HPOWire
public import HPOStudyFile

/// Evaluates a benchmark function (Branin, Hartmann-6, …) at the trial's `x0`…`x{d−1}`, optionally taking
/// simulated time and adding noise: for testing the optimizer and measuring the runtime without a real model.
///
/// Options (study file `objective:` keys):
/// - `function` (string, required): a `TestFunction` name, e.g. `branin`, `hartmann6`, `ackley`.
/// - `dimension` (integer, optional): for functions defined in any dimension (default: the function's own).
/// - `duration` (seconds as a number, or text like `"1.5s"`, `"200ms"`; default 0): simulated work per trial,
///   interrupted at once by a stop request. With a duration, four intermediate values are reported.
/// - `noise` (number ≥ 0, default 0): standard deviation of Gaussian noise added to the value.
/// - `seed` (integer, default 0): with `noise`, the noise of a trial depends only on seed, trial id and attempt.
///
/// The value is the function's value (to be minimized: set the study's `direction: minimize`).
public struct TestFunctionObjective: Objective {
    /// The function evaluated.
    public let function: TestFunction
    /// Simulated work per trial.
    public let duration: Duration
    /// Standard deviation of the added Gaussian noise (0 = none).
    public let noise: Double
    /// Seed of the noise.
    public let seed: UInt64

    /// The option keys this objective accepts.
    public static let optionKeys: Set<String> = ["function", "dimension", "duration", "noise", "seed"]
    /// Intermediate values reported per trial when `duration > 0`.
    static let reportedSteps = 4

    public init(function: TestFunction, duration: Duration = .zero, noise: Double = 0, seed: UInt64 = 0) {
        self.function = function
        self.duration = duration
        self.noise = noise
        self.seed = seed
    }

    /// Builds the objective from study-file options (see the type's documentation).
    ///
    /// - Throws: `StudyFileError` naming the option, echoing the value and saying what to do.
    public init(options: [String: JSONValue]) throws(StudyFileError) {
        let unknown = Set(options.keys).subtracting(Self.optionKeys)
        guard unknown.isEmpty else {
            throw Self.error(
                "unknown option \(unknown.sorted().map { "\"\($0)\"" }.joined(separator: ", "))"
                    + SpellingSuggestion.hint(for: unknown.sorted()[0], in: Self.optionKeys) + "; "
                    + "the options are \(Self.optionKeys.sorted().joined(separator: ", "))")
        }
        guard let name = options["function"]?.stringValue else {
            throw Self.error(
                "option \"function\" must name a test function (e.g. branin, hartmann6, ackley), got "
                    + (options["function"].map { "\($0)" } ?? "nothing"))
        }
        var dimension: Int?
        if let value = options["dimension"] {
            guard let integer = value.intValue, integer >= 1 else {
                throw Self.error("option \"dimension\" must be a positive integer, got \(value)")
            }
            dimension = integer
        }
        let function: TestFunction
        do {
            function = try TestFunction.named(name, dimension: dimension)
        } catch {
            throw Self.error("option \"function\": \(error)")
        }
        var duration = Duration.zero
        if let value = options["duration"] {
            guard let parsed = StudyDuration.parse(option: value), parsed >= .zero else {
                throw Self.error("option \"duration\" must be seconds ≥ 0 (e.g. 1.5 or \"200ms\"), got \(value)")
            }
            duration = parsed
        }
        var noise = 0.0
        if let value = options["noise"] {
            guard let number = value.numberValue, number.isFinite, number >= 0 else {
                throw Self.error("option \"noise\" must be a finite number ≥ 0 (a standard deviation), got \(value)")
            }
            noise = number
        }
        var seed: UInt64 = 0
        if let value = options["seed"] {
            guard let integer = value.intValue, integer >= 0 else {
                throw Self.error("option \"seed\" must be an integer ≥ 0, got \(value)")
            }
            seed = UInt64(integer)
        }
        self.init(function: function, duration: duration, noise: noise, seed: seed)
    }

    /// Checks that `space` has exactly the numeric parameters `x0`…`x{d−1}` this function takes.
    public func validate(space: SearchSpace) throws(StudyFileError) {
        let expected = (0..<function.dimension).map { "x\($0)" }
        let names = space.parameters.map(\.name)
        let missing = expected.filter { !names.contains($0) }
        let extra = names.filter { !expected.contains($0) }
        guard missing.isEmpty && extra.isEmpty else {
            var problems: [String] = []
            if !missing.isEmpty { problems.append("missing \(missing.joined(separator: ", "))") }
            if !extra.isEmpty { problems.append("does not take \(extra.joined(separator: ", "))") }
            throw Self.error(
                "\(function.name) (dimension \(function.dimension)) takes parameters x0…x\(function.dimension - 1); "
                    + "the space \(problems.joined(separator: " and ")); rename or remove parameters to match")
        }
        for parameter in space.parameters {
            switch parameter.kind {
            case .float, .int: continue
            case .fixed(let value) where value.doubleValue != nil: continue
            default:
                throw Self.error(
                    "parameter \"\(parameter.name)\" must be numeric (float or int), got \(parameter.kind.typeName)")
            }
        }
    }

    public func run(
        _ context: TrialContext,
        report: @escaping @Sendable (_ step: Int, _ value: Double, _ metrics: [String: Double]) -> Void
    ) -> ObjectiveOutcome {
        let value: Double
        do {
            value = try function.value(for: context.parameters)
        } catch {
            return .failed(reason: "\(error)")
        }
        var generator = SeededGenerator(seed: Self.noiseSeed(seed, trialID: context.trialID, attempt: context.attempt))
        let noisy = noise > 0 ? value + noise * generator.nextStandardNormal() : value
        if duration > .zero {
            let slice = duration / Self.reportedSteps
            for step in 1...Self.reportedSteps {
                if context.stop.wait(upTo: slice) {
                    return .stopped(reason: context.stop.reason ?? "stop requested")
                }
                report(step, noisy, ["fraction": Double(step) / Double(Self.reportedSteps)])
            }
        } else if let reason = context.stop.reason {
            return .stopped(reason: reason)
        }
        guard noisy.isFinite else {
            return .failed(reason: "\(function.name) gave \(noisy) at \(context.parameters); check the parameter bounds")
        }
        return .completed(value: noisy, metrics: noise > 0 ? ["noiseless": value] : [:])
    }

    /// Mixes the seed with the trial's identity (SplitMix64 finalizer), so noise is reproducible per attempt.
    static func noiseSeed(_ seed: UInt64, trialID: Int, attempt: Int) -> UInt64 {
        var z = seed &+ UInt64(truncatingIfNeeded: trialID) &* 0x9E37_79B9_7F4A_7C15
            &+ UInt64(truncatingIfNeeded: attempt) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func error(_ message: String) -> StudyFileError {
        StudyFileError(.objectiveInvalidOption, objective: "test-function", message)
    }
}
