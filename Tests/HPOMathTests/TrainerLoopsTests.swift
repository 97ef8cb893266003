import Foundation
import HPOMath
import Testing

/// The trainer's loops (`VectorKernels+TrainerLoops`), every instruction set this CPU runs, against plain loops: exact
/// where the kernel only adds, compares or copies; within a stated tolerance where it rounds (e^x, ln x, FMA).
@Suite struct TrainerLoopsTests {
    static let supported = VectorKernels.InstructionSet.allCases.filter(\.isSupported)
    /// Row counts around the vector width and the softmax's 64-row blocks.
    static let rowCounts = [1, 3, 8, 33, 64, 65, 130]
    /// Row widths: 1, tails of an 8-float vector, the network's 10, 32 and 64, and one past.
    static let widths = [1, 2, 7, 10, 17, 32, 41, 64, 65]

    static func values(_ count: Int, seed: UInt64, in low: Double = -2, _ high: Double = 2) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in Float(generator.nextUniform(in: low, high)) }
    }

    /// |value − reference| in units of the reference's float ulp (0 when equal, infinity when exactly one is NaN).
    static func ulps(_ value: Float, _ reference: Double) -> Double {
        if Double(value) == reference || (value.isNaN && reference.isNaN) { return 0 }
        let ulp = Double(Float(reference).ulp)
        return abs(Double(value) - reference) / ulp
    }

    /// The worst error in ulps of `kernel` (in place over a copy of `arguments`) against `exact` in double, and where.
    static func worstError(
        _ arguments: [Float], exact: (Double) -> Double, kernel: (UnsafeMutableBufferPointer<Float>) -> Void
    ) -> (ulps: Double, at: Float) {
        var results = arguments
        results.withUnsafeMutableBufferPointer { kernel($0) }
        var worst = (ulps: 0.0, at: Float(0))
        for (x, value) in zip(arguments, results) {
            let error = ulps(value, exact(Double(x)))
            if error > worst.ulps { worst = (error, x) }
        }
        return worst
    }

    @Test(arguments: supported)
    func exponentialIsWithinOneUlpOfTheExactValue(set: VectorKernels.InstructionSet) {
        // The softmax's range (z − max ≤ 0) densely, and some positive arguments up to the clamp.
        var arguments = (0...40_000).map { -87 + 87 * Float($0) / 40_000 }
        arguments += (0...1_000).map { 88 * Float($0) / 1_000 } + [-0.0, 1e-30, -1e-30]
        let worst = Self.worstError(arguments, exact: Foundation.exp) { VectorKernels.exponentials($0, instructionSet: set) }
        // Cephes' polynomial and the two-part reduction: measured worst 1 ulp (libm's expf is within 0.5).
        #expect(worst.ulps <= 1.5, "\(set.rawValue): e^x off by \(worst.ulps) ulp at x = \(worst.at)")
    }

    @Test(arguments: supported)
    func exponentialUnderflowsToZeroAndKeepsNaN(set: VectorKernels.InstructionSet) {
        var special: [Float] = [.nan, -.infinity, -1000, -87.4, -87.2, 0, 1000]
        special.withUnsafeMutableBufferPointer { VectorKernels.exponentials($0, instructionSet: set) }
        #expect(special[0].isNaN)
        // 0 below −87.3 (e^x under FLT_MIN: no subnormals), a normal float just above, clamped at 88.3.
        #expect(special[1] == 0 && special[2] == 0 && special[3] == 0, "\(special)")
        #expect(special[4] >= Float.leastNormalMagnitude && special[4] < 1e-37, "\(special)")
        #expect(special[5] == 1 && special[6] > 1e38 && special[6].isFinite, "\(special)")
    }

    @Test(arguments: supported)
    func logarithmIsWithinOneUlpOfTheExactValue(set: VectorKernels.InstructionSet) {
        var arguments = (0...40_000).map { 1 + 1_000 * Float($0) / 40_000 }
        arguments += [Float.leastNormalMagnitude, 0.707_106_77, 0.707_106_8, 1.414_213_5, 2, 0.5, 3e38, 1e-20, 12345.678]
        let worst = Self.worstError(arguments, exact: Foundation.log) { VectorKernels.logarithms($0, instructionSet: set) }
        #expect(worst.ulps <= 1.5, "\(set.rawValue): ln x off by \(worst.ulps) ulp at x = \(worst.at)")
        var special: [Float] = [.nan, .infinity, 1]
        special.withUnsafeMutableBufferPointer { VectorKernels.logarithms($0, instructionSet: set) }
        #expect(special[0].isNaN && special[1] == .infinity && special[2] == 0, "\(set.rawValue): ln NaN, ∞, 1 = \(special)")
    }

    @Test(arguments: supported)
    func biasAndReLUAreExact(set: VectorKernels.InstructionSet) {
        for rows in Self.rowCounts {
            for width in Self.widths {
                var z = Self.values(rows * width, seed: UInt64(rows * 100 + width))
                if z.count > 3 { z[1] = .nan; z[2] = -0.0 }
                let bias = Self.values(width, seed: 7)
                var added = z, relu = [Float](repeating: .nan, count: rows * width), biasOnly = z
                added.withUnsafeMutableBufferPointer { zp in
                    relu.withUnsafeMutableBufferPointer { hp in
                        VectorKernels.addBias(zp.baseAddress!, bias: bias, reluOutput: hp.baseAddress!, rows: rows, width: width, instructionSet: set)
                    }
                }
                biasOnly.withUnsafeMutableBufferPointer {
                    VectorKernels.addBias($0.baseAddress!, bias: bias, reluOutput: nil, rows: rows, width: width, instructionSet: set)
                }
                let expected = z.indices.map { z[$0] + bias[$0 % width] }
                let expectedReLU = expected.map { $0 > 0 ? $0 : 0 }
                #expect(added.map(\.bitPattern) == expected.map(\.bitPattern), "\(set.rawValue) \(rows)×\(width): z + b")
                #expect(biasOnly.map(\.bitPattern) == expected.map(\.bitPattern), "\(set.rawValue) \(rows)×\(width): z + b alone")
                #expect(relu.map(\.bitPattern) == expectedReLU.map(\.bitPattern), "\(set.rawValue) \(rows)×\(width): ReLU")
            }
        }
    }

    /// Loss sum, gradient and argmax count against a double-precision softmax with libm's exp and log.
    @Test(arguments: supported)
    func softmaxCrossEntropyMatchesTheDoubleFormula(set: VectorKernels.InstructionSet) {
        for rows in Self.rowCounts {
            for classes in [1, 2, 3, 10, 17] {
                // Logits spread wide enough that some e^(z − max) underflow to the clamp.
                var logits = Self.values(rows * classes, seed: UInt64(rows * 31 + classes), in: -60, 60)
                if classes >= 3 && rows >= 2 {
                    // A tie for the largest logit: the first one wins.
                    logits[classes + 2] = 100
                    logits[classes + 1] = 100
                }
                var generator = SeededGenerator(seed: UInt64(rows + classes))
                let labels = (0..<rows).map { _ in Int32(generator.nextUniform(in: 0, Double(classes)).rounded(.down)) }
                let scale = 1 / Float(rows)
                var delta = [Float](repeating: .nan, count: rows * classes)
                let (loss, correct) = delta.withUnsafeMutableBufferPointer {
                    VectorKernels.softmaxCrossEntropy(
                        logits: logits, labels: labels, rows: rows, classes: classes, scale: scale, delta: $0.baseAddress!,
                        countCorrect: true, instructionSet: set)
                }
                var expectedLoss = 0.0, expectedCorrect = 0, worstDelta = 0.0
                for r in 0..<rows {
                    let z = (0..<classes).map { Double(logits[r * classes + $0]) }
                    var best = 0
                    for j in 1..<classes where z[j] > z[best] { best = j }
                    if best == Int(labels[r]) { expectedCorrect += 1 }
                    let sum = z.reduce(0) { $0 + Foundation.exp($1 - z[best]) }
                    expectedLoss += z[best] + Foundation.log(sum) - z[Int(labels[r])]
                    for j in 0..<classes {
                        let p = Foundation.exp(z[j] - z[best]) / sum - (j == Int(labels[r]) ? 1 : 0)
                        worstDelta = max(worstDelta, abs(Double(delta[r * classes + j]) - Double(scale) * p))
                    }
                }
                let context = "\(set.rawValue), \(rows) rows × \(classes) classes"
                #expect(correct == expectedCorrect, "\(context): \(correct) correct, expected \(expectedCorrect)")
                // Float logits up to 60 apart: the float loss per row is good to about 1e-5 relative.
                #expect(abs(loss - expectedLoss) <= 1e-5 * Double(rows) * max(1, abs(expectedLoss) / Double(rows)),
                        "\(context): loss sum \(loss), expected \(expectedLoss)")
                #expect(worstDelta <= 4e-7 * Double(scale), "\(context): a gradient is off by \(worstDelta)")
            }
        }
    }

    /// A training step asks for no count of correct rows (and skips the argmax): the loss and the gradient are the
    /// same, bit for bit, as with the count.
    @Test(arguments: supported)
    func softmaxWithoutTheCountGivesTheSameLossAndGradient(set: VectorKernels.InstructionSet) {
        for rows in Self.rowCounts {
            for classes in [2, 10, 17] {
                let logits = Self.values(rows * classes, seed: UInt64(rows * 13 + classes), in: -30, 30)
                let labels = (0..<rows).map { Int32($0 * 7 % classes) }
                var counted = [Float](repeating: .nan, count: rows * classes), uncounted = counted
                let withCount = counted.withUnsafeMutableBufferPointer {
                    VectorKernels.softmaxCrossEntropy(
                        logits: logits, labels: labels, rows: rows, classes: classes, scale: 0.25, delta: $0.baseAddress!,
                        countCorrect: true, instructionSet: set)
                }
                let withoutCount = uncounted.withUnsafeMutableBufferPointer {
                    VectorKernels.softmaxCrossEntropy(
                        logits: logits, labels: labels, rows: rows, classes: classes, scale: 0.25, delta: $0.baseAddress!,
                        instructionSet: set)
                }
                let context = "\(set.rawValue), \(rows) rows × \(classes) classes"
                #expect(withCount.lossSum.bitPattern == withoutCount.lossSum.bitPattern, "\(context): loss sums differ")
                #expect(counted.map(\.bitPattern) == uncounted.map(\.bitPattern), "\(context): gradients differ")
                #expect(withoutCount.correct == 0, "\(context): no count was asked for")
            }
        }
    }

    @Test(arguments: supported)
    func softmaxOfNaNLogitsGivesANaNLoss(set: VectorKernels.InstructionSet) {
        let logits: [Float] = [1, .nan, 2, 0.5, 0.25, 0.125]
        var delta = [Float](repeating: 0, count: 6)
        let (loss, _) = delta.withUnsafeMutableBufferPointer {
            VectorKernels.softmaxCrossEntropy(
                logits: logits, labels: [0, 1], rows: 2, classes: 3, scale: 0.5, delta: $0.baseAddress!, instructionSet: set)
        }
        #expect(loss.isNaN, "\(set.rawValue): a NaN logit gave the loss \(loss)")
    }

    @Test(arguments: supported)
    func columnSumsAddRowsInOrder(set: VectorKernels.InstructionSet) {
        for rows in Self.rowCounts {
            for width in Self.widths {
                let matrix = Self.values(rows * width, seed: UInt64(rows * 7 + width))
                var sums = [Float](repeating: .nan, count: width)
                sums.withUnsafeMutableBufferPointer {
                    VectorKernels.columnSums(matrix, rows: rows, width: width, into: $0.baseAddress!, instructionSet: set)
                }
                let expected = (0..<width).map { j in (0..<rows).reduce(Float(0)) { $0 + matrix[$1 * width + j] } }
                #expect(sums.map(\.bitPattern) == expected.map(\.bitPattern), "\(set.rawValue) \(rows)×\(width)")
            }
        }
    }

    @Test(arguments: supported)
    func reluGradientZeroesWhereThePreactivationIsNotPositive(set: VectorKernels.InstructionSet) {
        for count in [1, 7, 8, 9, 31, 64, 65, 2080] {
            var z = Self.values(count, seed: UInt64(count))
            if count > 3 { z[0] = .nan; z[1] = -0.0; z[2] = 0 }
            let g = Self.values(count, seed: UInt64(count) + 99)
            var result = g
            result.withUnsafeMutableBufferPointer {
                VectorKernels.reluGradient($0.baseAddress!, preactivation: z, count: count, instructionSet: set)
            }
            let expected = (0..<count).map { z[$0] <= 0 ? 0 : g[$0] }
            #expect(result.map(\.bitPattern) == expected.map(\.bitPattern), "\(set.rawValue), \(count) values")
        }
    }

    @Test(arguments: supported, [false, true])
    func sgdMomentumStepMatchesTheFormula(set: VectorKernels.InstructionSet, nesterov: Bool) {
        for count in [1, 7, 9, 64, 6570] {
            var parameters = Self.values(count, seed: 1), velocity = Self.values(count, seed: 2)
            let gradients = Self.values(count, seed: 3)
            let (p0, v0) = (parameters, velocity)
            let (rate, momentum): (Float, Float) = (0.01, 0.9)
            parameters.withUnsafeMutableBufferPointer { p in
                velocity.withUnsafeMutableBufferPointer { v in
                    VectorKernels.sgdMomentumStep(
                        parameters: p.baseAddress!, gradients: gradients, velocity: v.baseAddress!, count: count, rate: rate,
                        momentum: momentum, nesterov: nesterov, instructionSet: set)
                }
            }
            for i in 0..<count {
                let v = Double(momentum) * Double(v0[i]) + Double(gradients[i])
                let step = Double(rate) * (nesterov ? Double(gradients[i]) + Double(momentum) * v : v)
                let p = Double(p0[i]) - step
                // Float roundings of a few terms of magnitude ≤ |p0| + |step| (fused or not).
                let vBound = 3 * 0x1p-24 * (abs(Double(momentum) * Double(v0[i])) + abs(Double(gradients[i])))
                let pBound = 4 * 0x1p-24 * (abs(Double(p0[i])) + abs(step)) + 1e-30
                #expect(abs(Double(velocity[i]) - v) <= vBound, "\(set.rawValue) v[\(i)] = \(velocity[i]), expected \(v)")
                #expect(abs(Double(parameters[i]) - p) <= pBound, "\(set.rawValue) p[\(i)] = \(parameters[i]), expected \(p)")
            }
        }
    }

    @Test(arguments: supported)
    func gatherRowsTakesRowsAndLabelsByIndex(set: VectorKernels.InstructionSet) {
        for width in Self.widths {
            let sourceRows = 50
            let features = Self.values(sourceRows * width, seed: UInt64(width))
            let labels = (0..<sourceRows).map { Int32($0 * 3 % 10) }
            let indices = [49, 0, 17, 17, 3, 48, 25]
            var rows = [Float](repeating: .nan, count: indices.count * width)
            var taken = [Int32](repeating: -1, count: indices.count)
            rows.withUnsafeMutableBufferPointer { r in
                taken.withUnsafeMutableBufferPointer { t in
                    indices.withUnsafeBufferPointer { i in
                        VectorKernels.gatherRows(
                            features: features, labels: labels, sourceRows: sourceRows, width: width, indices: i,
                            rowsOut: r.baseAddress!, labelsOut: t.baseAddress!, instructionSet: set)
                    }
                }
            }
            let expected = indices.flatMap { features[($0 * width)..<(($0 + 1) * width)] }
            #expect(rows.map(\.bitPattern) == expected.map(\.bitPattern), "\(set.rawValue), width \(width)")
            #expect(taken == indices.map { labels[$0] })
        }
    }
}
