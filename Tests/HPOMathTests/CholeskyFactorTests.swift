import HPOMath
import Testing

@Suite struct CholeskyFactorTests {
    /// A classic SPD example with an integer factor: L = [[2,0,0],[6,1,0],[−8,5,3]].
    static let example = try! Matrix(rowArrays: [[4, 12, -16], [12, 37, -43], [-16, -43, 98]])

    /// A random SPD matrix B·Bᵀ + n·I from a seeded generator.
    static func randomSPD(_ n: Int, seed: UInt64) -> Matrix {
        var generator = SeededGenerator(seed: seed)
        var b = Matrix(rows: n, columns: n)
        for i in b.elements.indices { b.elements[i] = generator.nextStandardNormal() }
        var a = b.multiplied(by: b.transposed)
        for i in 0..<n { a[i, i] += Double(n) }
        return a
    }

    static func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0.0) { max($0, abs($1.0 - $1.1)) }
    }

    @Test func factorsTheTextbookExampleExactly() throws {
        let factor = try CholeskyFactor(factoring: Self.example)
        let expected = try Matrix(rowArrays: [[2, 0, 0], [6, 1, 0], [-8, 5, 3]])
        #expect(Self.maxAbsDifference(factor.lower.elements, expected.elements) < 1e-14)
        #expect(factor.jitter == 0)
        #expect(abs(factor.logDeterminant - 2 * MathFunctions.log(6)) < 1e-14)
    }

    /// The panel solves agree with the vector solves for every right-hand side, across the kernel's four-column
    /// blocks (orders 1–9, 13, 120) and with both instruction sets; unused columns stay 0.
    @Test(arguments: VectorKernels.InstructionSet.allCases.filter(\.isSupported))
    func panelSolvesAgreeWithTheVectorSolves(instructionSet: VectorKernels.InstructionSet) throws {
        for order in Array(1...9) + [13, 120] {
            let factor = try CholeskyFactor(factoring: Self.randomSPD(order, seed: UInt64(order)))
            var generator = SeededGenerator(seed: UInt64(100 + order))
            let columns = (0..<6).map { _ in (0..<order).map { _ in generator.nextStandardNormal() } }
            var panel = RightHandSidePanel(rows: order)
            for (c, column) in columns.enumerated() { panel.setColumn(c, to: column) }
            factor.lower.elements.withUnsafeBufferPointer { lower in
                VectorKernels.solveTriangular(lower: lower, panel: &panel, transposed: false, instructionSet: instructionSet)
            }
            for (c, column) in columns.enumerated() {
                #expect(Self.maxAbsDifference(panel.column(c), factor.solveLower(column)) < 1e-12, "L⁻¹, order \(order), column \(c)")
            }
            let whitened = panel
            factor.lower.elements.withUnsafeBufferPointer { lower in
                VectorKernels.solveTriangular(lower: lower, panel: &panel, transposed: true, instructionSet: instructionSet)
            }
            for c in columns.indices {
                #expect(Self.maxAbsDifference(panel.column(c), factor.solveUpper(whitened.column(c))) < 1e-12, "L⁻ᵀ, order \(order), column \(c)")
            }
            #expect(panel.column(6).allSatisfy { $0 == 0 } && panel.column(7).allSatisfy { $0 == 0 })
        }
    }

    /// The factor's own panel solves use the selected kernels and solve A·x = b through both.
    @Test func panelSolvesThroughTheFactorSolveTheSystem() throws {
        let a = Self.randomSPD(37, seed: 9)
        let factor = try CholeskyFactor(factoring: a)
        var generator = SeededGenerator(seed: 10)
        let b = (0..<37).map { _ in generator.nextStandardNormal() }
        var panel = RightHandSidePanel(rows: 37)
        panel.setColumn(3, to: b)
        factor.solveLower(panel: &panel)
        factor.solveUpper(panel: &panel)
        #expect(Self.maxAbsDifference(a.multiplied(by: panel.column(3)), b) < 1e-10)
    }

    @Test func solvesAgreeWithTheMatrix() throws {
        let a = Self.randomSPD(40, seed: 1)
        let factor = try CholeskyFactor(factoring: a)
        var generator = SeededGenerator(seed: 2)
        let b = (0..<40).map { _ in generator.nextStandardNormal() }
        let x = factor.solve(b)
        #expect(Self.maxAbsDifference(a.multiplied(by: x), b) < 1e-10)
        let lowerSolved = factor.solveLower(b)
        #expect(Self.maxAbsDifference(factor.lower.multiplied(by: lowerSolved), b) < 1e-10)
        let upperSolved = factor.solveUpper(b)
        #expect(Self.maxAbsDifference(factor.lower.transposeMultiplied(by: upperSolved), b) < 1e-10)
        let identity = Self.symmetrized(factor.inverseLowerTriangle()).multiplied(by: a)
        #expect(Self.maxAbsDifference(identity.elements, Matrix.identity(40).elements) < 1e-10)
    }

    /// The recursive inverse at orders on both sides of its 16 × 16 base case and of odd halves: its lower triangle
    /// mirrored times A is I, and nothing is written above the diagonal.
    @Test(arguments: [1, 2, 16, 17, 33, 101, 256])
    func inverseTimesTheMatrixIsTheIdentity(order n: Int) throws {
        let a = Self.randomSPD(n, seed: UInt64(n))
        let lowerTriangle = try CholeskyFactor(factoring: a).inverseLowerTriangle()
        let identity = Self.symmetrized(lowerTriangle).multiplied(by: a)
        #expect(Self.maxAbsDifference(identity.elements, Matrix.identity(n).elements) < 1e-12, "order \(n)")
        for j in 0..<n { for i in 0..<j { #expect(lowerTriangle[i, j] == 0) } }
    }

    /// The symmetric matrix whose lower triangle is `lower`'s.
    static func symmetrized(_ lower: Matrix) -> Matrix {
        var full = lower
        for j in 0..<lower.columns { for i in 0..<j { full[i, j] = lower[j, i] } }
        return full
    }

    @Test func matrixSolveMatchesColumnByColumnSolves() throws {
        let factor = try CholeskyFactor(factoring: Self.randomSPD(25, seed: 3))
        var generator = SeededGenerator(seed: 4)
        var rhs = Matrix(rows: 25, columns: 7)
        for i in rhs.elements.indices { rhs.elements[i] = generator.nextUniform() }
        let solved = factor.solveLower(rhs)
        for j in 0..<7 {
            let column = Array(rhs.elements[(j * 25)..<(j * 25 + 25)])
            let expected = factor.solveLower(column)
            #expect(Self.maxAbsDifference(Array(solved.elements[(j * 25)..<(j * 25 + 25)]), expected) < 1e-12)
        }
    }

    @Test func extensionByOneRowEqualsAFullRefactorization() throws {
        let full = Self.randomSPD(30, seed: 5)
        var leading = Matrix(rows: 29, columns: 29)
        for j in 0..<29 { for i in 0..<29 { leading[i, j] = full[i, j] } }
        let grown = try CholeskyFactor(factoring: leading).extended(column: (0..<29).map { full[$0, 29] }, diagonal: full[29, 29])
        let direct = try CholeskyFactor(factoring: full)
        #expect(grown.dimension == 30)
        #expect(Self.maxAbsDifference(grown.lower.elements, direct.lower.elements) < 1e-12)
        #expect(abs(grown.logDeterminant - direct.logDeterminant) < 1e-10)
    }

    @Test func escalatesJitterForASingularMatrixAndReportsIt() throws {
        // All-ones 5×5 has rank 1.
        let singular = Matrix(rows: 5, columns: 5, repeating: 1)
        let factor = try CholeskyFactor(factoring: singular)
        #expect(factor.jitter > 0 && factor.jitter <= 1e-3)
        var expected = singular
        for i in 0..<5 { expected[i, i] += factor.jitter }
        let product = factor.lower.multiplied(by: factor.lower.transposed)
        #expect(Self.maxAbsDifference(product.elements, expected.elements) < 1e-12)
    }

    @Test func extensionWithTheSameJitterStaysConsistent() throws {
        let singular = Matrix(rows: 4, columns: 4, repeating: 1)
        let factor = try CholeskyFactor(factoring: singular)
        let grown = try factor.extended(column: [1, 1, 1, 1], diagonal: 1)  // a fifth copy of the same row
        var expected = Matrix(rows: 5, columns: 5, repeating: 1)
        for i in 0..<5 { expected[i, i] += factor.jitter }
        let product = grown.lower.multiplied(by: grown.lower.transposed)
        #expect(Self.maxAbsDifference(product.elements, expected.elements) < 1e-9)
    }

    @Test func rejectsIndefiniteAndNonFiniteMatrices() throws {
        let indefinite = try Matrix(rowArrays: [[1, 2], [2, 1]])
        do {
            _ = try CholeskyFactor(factoring: indefinite)
            Issue.record("an indefinite matrix must not factor")
        } catch {
            #expect(error.code == .notPositiveDefinite)
            #expect(error.message.contains("2×2"))
        }
        let withNaN = try Matrix(rowArrays: [[1, .nan], [.nan, 1]])
        #expect(throws: MathError(.nonFinite, "Cholesky of a 2×2 matrix with NaN or infinite entries; check the inputs that built it")) {
            try CholeskyFactor(factoring: withNaN)
        }
        let factor = try CholeskyFactor(factoring: Self.example)
        #expect(throws: MathError.self) { try factor.extended(column: [4, 12, -16], diagonal: 4) }  // a copy of row 0, no jitter
    }

    @Test func matrixProductsMatchHandComputedValues() throws {
        let a = try Matrix(rowArrays: [[1, 2, 3], [4, 5, 6]])
        #expect(a.multiplied(by: [1, 0, -1]) == [-2, -2])
        #expect(a.transposeMultiplied(by: [1, 1]) == [5, 7, 9])
        let product = a.multiplied(by: a.transposed)
        #expect(product == (try Matrix(rowArrays: [[14, 32], [32, 77]])))
        #expect(throws: MathError.self) { try Matrix(rows: 2, columns: 2, elements: [1, 2, 3]) }
    }
}

@Suite struct MatrixTests {
    @Test func transposeProductMatchesExplicitTranspose() throws {
        let a = try Matrix(rowArrays: [[1, 2, 3], [4, 5, 6]])
        let b = try Matrix(rowArrays: [[1, 0], [2, -1]])
        #expect(a.transposeMultiplied(by: b) == a.transposed.multiplied(by: b))
        #expect(a.transposeMultiplied(by: b) == (try Matrix(rowArrays: [[9, -4], [12, -5], [15, -6]])))
    }
}

@Suite struct CholeskyBlockExtensionTests {
    @Test func blockExtensionEqualsAFullRefactorization() throws {
        let full = CholeskyFactorTests.randomSPD(30, seed: 8)
        let n = 24
        let k = 6
        var leading = Matrix(rows: n, columns: n)
        var columns = Matrix(rows: n, columns: k)
        var corner = Matrix(rows: k, columns: k)
        for j in 0..<30 {
            for i in 0..<30 {
                if i < n, j < n { leading[i, j] = full[i, j] }
                if i < n, j >= n { columns[i, j - n] = full[i, j] }
                if i >= n, j >= n { corner[i - n, j - n] = full[i, j] }
            }
        }
        let grown = try CholeskyFactor(factoring: leading).extended(columns: columns, diagonalBlock: corner)
        let direct = try CholeskyFactor(factoring: full)
        #expect(CholeskyFactorTests.maxAbsDifference(grown.lower.elements, direct.lower.elements) < 1e-12)
        #expect(throws: MathError.self) {
            try CholeskyFactor(factoring: leading).extended(columns: Matrix(rows: n, columns: 2, repeating: 0), diagonalBlock: Matrix(rows: 2, columns: 2, repeating: 1))
        }
    }
}

@Suite struct BLASThreadsTests {
    @Test func settingOneThreadIsObservableAndResultsDoNotChange() throws {
        let a = CholeskyFactorTests.randomSPD(60, seed: 12)
        let before = try CholeskyFactor(factoring: a)
        let previous = BLASThreads.count
        BLASThreads.set(1)
        #expect(BLASThreads.count == 1)
        let after = try CholeskyFactor(factoring: a)
        BLASThreads.set(previous)
        #expect(CholeskyFactorTests.maxAbsDifference(before.lower.elements, after.lower.elements) < 1e-12)
    }
}
