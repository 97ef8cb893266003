import Testing

@testable import HPOReport

@Suite struct ScaleAndTickTests {
    @Test(arguments: [
        (0.0, "0"), (1.0, "1"), (0.1, "0.1"), (1234.5678, "1235"), (-2.5, "-2.5"), (0.000123456, "0.0001235"),
        (0.0000123, "1.23e-05"), (2_345_678, "2.346e+06"), (999_999.9, "1e+06"), (0.98765432, "0.9877"),
        (Double.nan, "nan"), (-Double.infinity, "-inf"),
    ])
    func shortNumbers(value: Double, text: String) {
        #expect(NumberText.short(value) == text)
    }

    @Test func durations() {
        #expect(NumberText.duration(0.25) == "250ms")
        #expect(NumberText.duration(3.456) == "3.46s")
        #expect(NumberText.duration(245) == "4m 05s")
        #expect(NumberText.duration(7380) == "2h 03m")
    }

    @Test func logarithmAgreesWithKnownValues() {
        #expect(abs(NumberText.log10(1000) - 3) < 1e-12)
        #expect(abs(NumberText.log10(0.02) - (-1.6989700043360187)) < 1e-12)
    }

    @Test(arguments: [
        (0.0...1.0, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (-5.0...10.0, [-5.0, 0, 5, 10]),
        (0.93...0.99, [0.94, 0.96, 0.98]),
        (3.0...3.0, [3.0]),
    ])
    func linearTicksAreRoundAndInside(domain: ClosedRange<Double>, expected: [Double]) {
        let ticks = Ticks.linear(domain, count: 5)
        #expect(ticks.count == expected.count)
        for (tick, wanted) in zip(ticks, expected) { #expect(abs(tick - wanted) < 1e-9) }
        #expect(ticks.allSatisfy { domain.contains($0) })
    }

    @Test func logTicksArePowersOfTenOrTheir2And5Multiples() {
        #expect(Ticks.logarithmic(1e-5...1e-1) == [1e-5, 1e-4, 1e-3, 1e-2, 1e-1].map { $0 })
        #expect(Ticks.logarithmic(1...100) == [1, 2, 5, 10, 20, 50, 100])
        #expect(Ticks.logarithmic(1e-8...1e8).count <= 6)
    }

    @Test func scalesMapTheDomainOntoThePixelRange() {
        let linear = Scale(.linear, domain: 0...10, pixels: 100, 0)
        #expect(linear.position(0) == 100)
        #expect(linear.position(10) == 0)
        #expect(linear.position(2.5) == 75)
        let log = Scale(.logarithmic, domain: 1e-4...1, pixels: 0, 400)
        #expect(abs(log.position(1e-2) - 200) < 1e-9)
        let bands = Scale(.categories(["a", "b", "c", "d"]), domain: 0...1, pixels: 0, 400)
        #expect(bands.position(0) == 50)
        #expect(bands.position(3) == 350)
        #expect(bands.ticks().map(\.label) == ["a", "b", "c", "d"])
        let flat = Scale(.linear, domain: 2...2, pixels: 0, 100)
        #expect(abs(flat.position(2) - 50) < 1e-9, "a single value sits in the middle")
    }

    @Test func textIsEscapedForXML() {
        #expect(SVGCanvas.escape("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;")
    }
}
