import HPOMath
import Testing

@Suite struct NormalTests {
    /// log Φ(x) and Φ(x) from mpmath at 50 digits (scripts: `mp.log(mp.ncdf(x))`).
    static let references: [(x: Double, logCDF: Double, cdf: Double)] = [
        (-40, -804.6084420137537881666068, 0),  // Φ(−40) ≈ 3.66e-350 underflows
        (-38, -726.5572160188201300965035, 0),  // Φ(−38) ≈ 2.89e-316 is subnormal
        (-20, -203.9171553710972639368045, 2.753624118606233695075623e-89),
        (-10, -53.23128515051247057834703, 7.619853024160526065973343e-24),
        (-5, -15.0649983939887257360837, 2.866515718791939116737523e-7),
        (-3, -6.607726221510349543276077, 0.001349898031630094526651815),
        (-1, -1.841021645009263505770783, 0.1586552539314570514147675),
        (0, -0.6931471805599453094172321, 0.5),
        (1, -0.1727537790234498895264832, 0.8413447460685429485852325),
        (5, -2.866516129637635933845963e-7, 0.9999997133484281208060883),
        (10, -7.619853024160526065973372e-24, 0.9999999999999999999999924),
    ]

    @Test func logCDFMatchesHighPrecisionValuesFarIntoBothTails() {
        for reference in Self.references {
            let value = Normal.logCDF(reference.x)
            let relativeError = abs(value - reference.logCDF) / abs(reference.logCDF)
            #expect(relativeError < 1e-13, "logCDF(\(reference.x)) = \(value), want \(reference.logCDF)")
        }
        #expect(abs(Normal.logCDF(-40) - -804.6084420137538) / 804.6 < 1e-15)
    }

    @Test func cdfHasRelativeAccuracyInTheLowerTail() {
        for reference in Self.references where reference.cdf > 1e-300 {
            let value = Normal.cdf(reference.x)
            #expect(abs(value - reference.cdf) / reference.cdf < 1e-13, "cdf(\(reference.x)) = \(value)")
        }
    }

    @Test func pdfAndLogPDFAgree() {
        #expect(abs(Normal.pdf(0) - 0.3989422804014327) < 1e-16)
        #expect(abs(Normal.pdf(1.5) - 0.12951759566589174) < 1e-16)
        for x in stride(from: -30.0, through: 30.0, by: 0.7) {
            let logOfPDF = MathFunctions.log(Normal.pdf(x))
            #expect(abs(logOfPDF - Normal.logPDF(x)) <= 1e-14 * max(1, abs(logOfPDF)))
        }
        #expect(Normal.logPDF(-100).isFinite)
    }

    @Test func pdfOverCDFIsStableWherePdfAndCdfUnderflow() {
        let references: [(Double, Double)] = [(-40, 40.02496884720726372), (-10, 10.09809323396251196), (-3, 3.283098654930436507)]
        for (x, expected) in references {
            #expect(abs(Normal.pdfOverCDF(x) - expected) / expected < 1e-13, "pdfOverCDF(\(x)) = \(Normal.pdfOverCDF(x))")
        }
        #expect(abs(Normal.pdfOverCDF(-1e6) - 1e6) / 1e6 < 1e-9)
    }

    @Test func logCDFIsContinuousAcrossItsBranchPoints() {
        for x in [-3.5355339059327378, 0.0] {
            let left = Normal.logCDF(x.nextDown)
            let right = Normal.logCDF(x.nextUp)
            #expect(abs(left - right) <= 1e-12 * abs(right) + 1e-300)
        }
        #expect(Normal.logCDF(-.infinity) == -.infinity)
        #expect(Normal.logCDF(.infinity) == 0)
    }
}

@Suite struct ScaledComplementaryErrorFunctionTests {
    /// erfcx(t) = exp(t²)·erfc(t) from mpmath at 40 digits.
    static let references: [(Double, Double)] = [
        (0, 1),
        (1, 0.4275835761558070044107503),
        (2.4999, 0.2108137990452105484875021),
        (2.5, 0.210806364061143580647112),
        (10, 0.05614099274382258585751739),
        (28.28, 0.01993767744113427742306788),
        (1e6, 5.64189583547474192156306e-7),
    ]

    @Test func matchesHighPrecisionValuesOnBothSidesOfTheBranch() {
        for (t, expected) in Self.references {
            let value = Normal.erfcx(t)
            #expect(abs(value - expected) / expected < 2e-15, "erfcx(\(t)) = \(value), want \(expected)")
        }
        #expect(Normal.erfcx(.infinity) == 0)
    }

    @Test func uniformDrawsRespectTheirInterval() {
        var generator = SeededGenerator(seed: 9)
        let draws = (0..<1000).map { _ in generator.nextUniform(in: -3, 5) }
        #expect(draws.allSatisfy { $0 >= -3 && $0 < 5 })
        #expect(draws.min()! < -2.9 && draws.max()! > 4.9)
    }
}
