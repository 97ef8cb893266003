import HPOMath
import Testing

@Suite struct SobolSequenceTests {
    /// The first 16 points of the unscrambled sequence (SciPy `qmc.Sobol(d=1024, scramble=False)`, same Joe–Kuo numbers):
    /// coordinates 1…6, 64 and 1024.
    static let unscrambled: [[Double]] = [
        [0, 0, 0, 0, 0, 0, 0, 0],
        [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
        [0.75, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75],
        [0.25, 0.75, 0.75, 0.75, 0.25, 0.25, 0.25, 0.25],
        [0.375, 0.375, 0.625, 0.875, 0.375, 0.125, 0.125, 0.875],
        [0.875, 0.875, 0.125, 0.375, 0.875, 0.625, 0.625, 0.375],
        [0.625, 0.125, 0.875, 0.625, 0.625, 0.875, 0.875, 0.125],
        [0.125, 0.625, 0.375, 0.125, 0.125, 0.375, 0.375, 0.625],
        [0.1875, 0.3125, 0.9375, 0.4375, 0.5625, 0.3125, 0.6875, 0.0625],
        [0.6875, 0.8125, 0.4375, 0.9375, 0.0625, 0.8125, 0.1875, 0.5625],
        [0.9375, 0.0625, 0.6875, 0.1875, 0.3125, 0.5625, 0.4375, 0.8125],
        [0.4375, 0.5625, 0.1875, 0.6875, 0.8125, 0.0625, 0.9375, 0.3125],
        [0.3125, 0.1875, 0.3125, 0.5625, 0.9375, 0.4375, 0.5625, 0.9375],
        [0.8125, 0.6875, 0.8125, 0.0625, 0.4375, 0.9375, 0.0625, 0.4375],
        [0.5625, 0.4375, 0.0625, 0.8125, 0.1875, 0.6875, 0.3125, 0.1875],
        [0.0625, 0.9375, 0.5625, 0.3125, 0.6875, 0.1875, 0.8125, 0.6875],
    ]

    @Test func unscrambledPointsMatchTheReference() throws {
        var sequence = try SobolSequence(dimension: 1024, scrambleSeed: nil)
        for expected in Self.unscrambled {
            let point = sequence.next()
            let picked = [point[0], point[1], point[2], point[3], point[4], point[5], point[63], point[1023]]
            #expect(picked == expected)
        }
    }

    @Test(arguments: [nil, 1, 99] as [UInt64?])
    func everyCoordinateIsStratifiedOverPowerOfTwoPrefixes(seed: UInt64?) throws {
        // (0, m, 1)-net in each coordinate: the first 2^m points fill each interval [k/2^m, (k+1)/2^m) exactly once.
        let dimension = 70
        var sequence = try SobolSequence(dimension: dimension, scrambleSeed: seed)
        let points = sequence.next(count: 256)
        for m in [1, 4, 8] {
            let count = 1 << m
            for d in 0..<dimension {
                let cells = Set(points.prefix(count).map { Int($0[d] * Double(count)) })
                #expect(cells.count == count, "dimension \(d), first \(count) points, seed \(String(describing: seed))")
            }
        }
        #expect(points.allSatisfy { $0.allSatisfy { $0 >= 0 && $0 < 1 } })
    }

    @Test func twoDimensionalProjectionsAreBalanced() throws {
        // The first 2 coordinates form a (0, m, 2)-net: each of the 4×4 and 16×16… elementary boxes of area 1/256 holds one point.
        var sequence = try SobolSequence(dimension: 2, scrambleSeed: 5)
        let points = sequence.next(count: 256)
        for (rows, columns) in [(16, 16), (2, 128), (256, 1)] {
            let cells = Set(points.map { Int($0[0] * Double(rows)) * columns + Int($0[1] * Double(columns)) })
            #expect(cells.count == 256, "boxes \(rows)×\(columns)")
        }
    }

    @Test func scrambleIsDeterministicBySeedAndDiffersAcrossSeeds() throws {
        var a = try SobolSequence(dimension: 8, scrambleSeed: 17)
        var b = try SobolSequence(dimension: 8, scrambleSeed: 17)
        var c = try SobolSequence(dimension: 8, scrambleSeed: 18)
        let pointsA = a.next(count: 32)
        #expect(pointsA == b.next(count: 32))
        #expect(pointsA != c.next(count: 32))
        #expect(pointsA[0] != [Double](repeating: 0, count: 8), "a scrambled sequence must not start at the origin")
    }

    @Test func skipMatchesDrawing() throws {
        var drawn = try SobolSequence(dimension: 5, scrambleSeed: 3)
        var skipped = drawn
        _ = drawn.next(count: 37)
        skipped.skip(37)
        #expect(drawn.next() == skipped.next())
        #expect(drawn.index == skipped.index)
    }

    @Test func rejectsDimensionsOutsideTheTable() {
        #expect(throws: MathError.self) { try SobolSequence(dimension: 0, scrambleSeed: nil) }
        do {
            _ = try SobolSequence(dimension: 1025, scrambleSeed: 1)
            Issue.record("dimension 1025 should throw")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("1025") && error.message.contains("1...1024"))
        }
    }

    @Test func uniformityOfScrambledPointsIsBetterThanRandom() throws {
        // Mean of a smooth integrand over [0,1]^6: scrambled Sobol with 1024 points should be far closer than 1e-3.
        var sequence = try SobolSequence(dimension: 6, scrambleSeed: 123)
        let points = sequence.next(count: 1024)
        let estimate = points.map { $0.reduce(1.0) { $0 * (1 + 0.5 * ($1 - 0.5)) } }.reduce(0, +) / 1024
        #expect(abs(estimate - 1) < 1e-4)
    }
}
