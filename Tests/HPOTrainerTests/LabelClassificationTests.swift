import Foundation
import HPOTrainer
import Testing

/// Labels mean what the file says (issue #12): by value, BOMs skipped, and suspicious label columns named before
/// training. The files are in `Fixtures/labels/`; each error case's message is the golden file `<name>.expected`
/// (`{labels}` stands for the fixture folder).
@Suite struct LabelClassificationTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/labels").path

    static func path(_ name: String) -> String { folder + "/" + name }

    /// The golden message of an error case.
    static func expected(_ name: String) throws -> String {
        let text = try String(contentsOfFile: path(name + ".expected"), encoding: .utf8)
        return text.trimmingCharacters(in: .newlines).replacingOccurrences(of: "{labels}", with: folder)
    }

    @Test func oneAndOnePointZeroAreOneClass() throws {
        let clean = try CSVLoader.load(path: Self.path("clean.csv"))
        let mixed = try CSVLoader.load(path: Self.path("mixed-spelling.csv"))
        #expect(clean.classNames == ["0", "1", "2"])
        #expect(mixed == clean)
    }

    @Test func aUTF8ByteOrderMarkIsSkipped() throws {
        #expect(try CSVLoader.load(path: Self.path("bom.csv")) == CSVLoader.load(path: Self.path("clean.csv")))
        // Without a header, the first data row is data, not a header hidden behind the BOM.
        let headerless = try CSVLoader.load(path: Self.path("bom-headerless.csv"))
        #expect(headerless == (try CSVLoader.load(path: Self.path("clean-headerless.csv"))))
        #expect(headerless.count == 150)
        // A label named in the first column is found although the BOM stands before it.
        let byName = try CSVLoader.load(path: Self.path("bom-label-first.csv"), label: .name("class"))
        #expect(byName == (try CSVLoader.load(path: Self.path("clean.csv"))))
        let svm = try LibSVMLoader.parse([0xEF, 0xBB, 0xBF] + Array("1 1:2\n0 1:3\n1 1:4\n0 1:5\n".utf8), source: "b.svm")
        #expect(svm.classNames == ["0", "1"] && svm.count == 4)
    }

    @Test(arguments: ["utf16", "placeholder", "mixed-kinds", "label-first"])
    func aLabelColumnThatIsNotWhatItSeemsIsRefusedWithItsName(name: String) throws {
        let error = try #require(throws: TrainerError.self) { try CSVLoader.load(path: Self.path(name + ".csv")) }
        #expect(error.description == (try Self.expected(name)), "got: \(error.description)")
    }

    @Test func placeholderRowsCanBeDropped() throws {
        let data = try CSVLoader.load(path: Self.path("placeholder.csv"), missingLabels: .drop)
        #expect(data.count == 147)
        #expect(data.classNames == ["0", "1", "2"])
        let clean = try CSVLoader.load(path: Self.path("clean.csv"))
        let kept = (0..<150).filter { ![10, 20, 30].contains($0) }
        #expect(data == clean.subset(kept))
    }

    @Test func aClassWithOneExampleIsNamedWithItsColumnBeforeTraining() throws {
        let data = try CSVLoader.load(path: Self.path("singleton.csv"))
        let error = try #require(throws: TrainerError.self) {
            try DatasetSplit(stratifying: data, validationFraction: 0.2, seed: 0)
        }
        #expect(error.description == (try Self.expected("singleton")), "got: \(error.description)")
    }

    @Test func textLabelsAreComparedAfterTrimming() throws {
        let data = try CSVLoader.parse(Array("1,cat\n2, cat \n3,\"dog\"\n4,dog\n".utf8), source: "t.csv")
        #expect(data.classNames == ["cat", "dog"])
        #expect(data.labels == [0, 0, 1, 1])
    }
}
