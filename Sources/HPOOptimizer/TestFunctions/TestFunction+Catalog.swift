import Foundation

/// The catalog: Branin, Hartmann-6, Ackley, Levy, Rosenbrock, Styblinski–Tang (formulas and domains as in
/// Surjanovic & Bingham's Virtual Library of Simulation Experiments and BoTorch's `test_functions/synthetic.py`).
extension TestFunction {
    /// Names accepted by ``named(_:dimension:)``, with the dimension each takes by default.
    public static let catalog: [(name: String, defaultDimension: Int, fixedDimension: Bool)] = [
        ("branin", 2, true), ("hartmann6", 6, true), ("ackley", 5, false), ("levy", 10, false),
        ("rosenbrock", 4, false), ("styblinski-tang", 5, false),
    ]

    /// The test function called `name` (case-insensitive; a trailing number is the dimension: `"ackley5"`,
    /// `"levy-10"`), in `dimension` inputs where the function allows a choice.
    ///
    /// - Throws: ``OptimizerError`` `.unknownTestFunction` for an unknown name or an unsupported dimension.
    public static func named(_ name: String, dimension: Int? = nil) throws(OptimizerError) -> TestFunction {
        var base = name.lowercased().replacingOccurrences(of: "_", with: "-")
        var suffixDimension: Int?
        if base != "hartmann6", let range = base.range(of: "-?[0-9]+$", options: .regularExpression) {
            suffixDimension = Int(base[range].trimmingCharacters(in: CharacterSet(charactersIn: "-")))
            base.removeSubrange(range)
        }
        if base == "hartmann" { base = "hartmann6"; suffixDimension = suffixDimension ?? 6 }
        if base == "styblinskitang" { base = "styblinski-tang" }
        guard let entry = catalog.first(where: { $0.name == base }) else {
            throw OptimizerError(
                .unknownTestFunction,
                "unknown test function \"\(name)\"; pick one of \(catalog.map(\.name).joined(separator: ", "))"
            )
        }
        if let dimension, let suffixDimension, dimension != suffixDimension {
            throw OptimizerError(
                .unknownTestFunction,
                "test function \"\(name)\" names dimension \(suffixDimension) but dimension \(dimension) was asked; give one"
            )
        }
        let d = dimension ?? suffixDimension ?? entry.defaultDimension
        if entry.fixedDimension, d != entry.defaultDimension {
            throw OptimizerError(
                .unknownTestFunction, "\(entry.name) is defined in \(entry.defaultDimension) dimensions only, got \(d)"
            )
        }
        let least = base == "rosenbrock" || base == "levy" ? 2 : 1
        guard d >= least, d <= 1_000 else {
            throw OptimizerError(.unknownTestFunction, "\(entry.name) needs a dimension in \(least)...1000, got \(d)")
        }
        switch base {
        case "branin": return branin
        case "hartmann6": return hartmann6
        case "ackley": return ackley(dimension: d)
        case "levy": return levy(dimension: d)
        case "rosenbrock": return rosenbrock(dimension: d)
        default: return styblinskiTang(dimension: d)
        }
    }

    /// Branin–Hoo on [−5, 10] × [0, 15]; minimum 0.397887 at (−π, 12.275), (π, 2.275) and (9.42478, 2.475).
    public static let branin = TestFunction(
        name: "branin", dimension: 2, bounds: [(-5, 10), (0, 15)], minimum: 0.397_887_357_729_738_16,
        minimizer: [Double.pi, 2.275]
    ) { x in
        let b = 5.1 / (4 * Double.pi * Double.pi)
        let c = 5 / Double.pi
        let t = 1 / (8 * Double.pi)
        let u = x[1] - b * x[0] * x[0] + c * x[0] - 6
        return u * u + 10 * (1 - t) * cos(x[0]) + 10
    }

    /// Hartmann-6 on [0, 1]^6; minimum −3.32237 at (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573).
    public static let hartmann6 = TestFunction(
        name: "hartmann6", dimension: 6, bounds: Array(repeating: (0, 1), count: 6),
        minimum: -3.322_368_011_415_514_7,
        minimizer: [0.201_689_52, 0.150_010_69, 0.476_873_98, 0.275_332_67, 0.311_651_62, 0.657_300_1]
    ) { x in
        let alpha = [1.0, 1.2, 3.0, 3.2]
        let a: [[Double]] = [
            [10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14],
        ]
        let p: [[Double]] = [
            [1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
            [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381],
        ]
        var total = 0.0
        for i in 0..<4 {
            var inner = 0.0
            for j in 0..<6 {
                let delta = x[j] - p[i][j] * 1e-4
                inner += a[i][j] * delta * delta
            }
            total += alpha[i] * exp(-inner)
        }
        return -total
    }

    /// Ackley (a = 20, b = 0.2, c = 2π) on [−32.768, 32.768]^d; minimum 0 at the origin.
    public static func ackley(dimension d: Int) -> TestFunction {
        TestFunction(
            name: "ackley", dimension: d, bounds: Array(repeating: (-32.768, 32.768), count: d), minimum: 0,
            minimizer: Array(repeating: 0, count: d)
        ) { x in
            let n = Double(x.count)
            let squares = x.reduce(0) { $0 + $1 * $1 } / n
            let cosines = x.reduce(0) { $0 + cos(2 * Double.pi * $1) } / n
            return -20 * exp(-0.2 * squares.squareRoot()) - exp(cosines) + 20 + M_E
        }
    }

    /// Levy on [−10, 10]^d; minimum 0 at (1, …, 1).
    public static func levy(dimension d: Int) -> TestFunction {
        TestFunction(
            name: "levy", dimension: d, bounds: Array(repeating: (-10, 10), count: d), minimum: 0,
            minimizer: Array(repeating: 1, count: d)
        ) { x in
            let w = x.map { 1 + ($0 - 1) / 4 }
            let head = pow(sin(Double.pi * w[0]), 2)
            var middle = 0.0
            for wi in w.dropLast() {
                middle += (wi - 1) * (wi - 1) * (1 + 10 * pow(sin(Double.pi * wi + 1), 2))
            }
            let last = w[w.count - 1]
            let tail = (last - 1) * (last - 1) * (1 + pow(sin(2 * Double.pi * last), 2))
            return head + middle + tail
        }
    }

    /// Rosenbrock on [−5, 10]^d; minimum 0 at (1, …, 1).
    public static func rosenbrock(dimension d: Int) -> TestFunction {
        TestFunction(
            name: "rosenbrock", dimension: d, bounds: Array(repeating: (-5, 10), count: d), minimum: 0,
            minimizer: Array(repeating: 1, count: d)
        ) { x in
            var total = 0.0
            for i in 0..<(x.count - 1) {
                let valley = x[i + 1] - x[i] * x[i]
                total += 100 * valley * valley + (x[i] - 1) * (x[i] - 1)
            }
            return total
        }
    }

    /// Styblinski–Tang on [−5, 5]^d; minimum −39.16616570377142·d at (−2.903534, …).
    public static func styblinskiTang(dimension d: Int) -> TestFunction {
        let root = -2.903_534_027_771_177_8
        return TestFunction(
            name: "styblinski-tang", dimension: d, bounds: Array(repeating: (-5, 5), count: d),
            minimum: -39.166_165_703_771_412 * Double(d), minimizer: Array(repeating: root, count: d)
        ) { x in
            0.5 * x.reduce(0) { $0 + $1 * $1 * $1 * $1 - 16 * $1 * $1 + 5 * $1 }
        }
    }
}
