import HPOTrainer
import HPOTestSupport
import Testing

/// CSV, IDX and LibSVM loaders on small generated files, including each malformed case.
@Suite(.scratchDirectory("trainer-tests")) struct DatasetLoaderTests {
    @Test func csvWithoutHeaderUsesTheLastColumnAsLabel() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("plain.csv", "1,2,b\n3,4.5,a\n\n-1e1, 6 ,b\r\n")
        let data = try CSVLoader.load(path: file)
        #expect(data.count == 3)
        #expect(data.featureCount == 2)
        #expect(data.features == [1, 2, 3, 4.5, -10, 6])
        #expect(data.classNames == ["a", "b"])
        #expect(data.labels == [1, 0, 1])
    }

    @Test func csvHeaderIsDetectedAndLabelFoundByNameOrIndex() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("header.csv", "\"class\",width,height\n10,1,2\n2,3,4\n10,5,6\n")
        let byName = try CSVLoader.load(path: file, label: .name("class"))
        let byIndex = try CSVLoader.load(path: file, label: .index(0))
        #expect(byName == byIndex)
        #expect(byName.features == [1, 2, 3, 4, 5, 6])
        // Numeric labels sort numerically: "2" before "10".
        #expect(byName.classNames == ["2", "10"])
        #expect(byName.labels == [1, 0, 1])
    }

    @Test func gzipCompressedCSVIsInflated() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("data.csv", "1,2,0\n3,4,1\n")
        let compressed = try directory.gzip(file)
        #expect(try CSVLoader.load(path: compressed) == CSVLoader.load(path: file))
    }

    @Test(arguments: [
        ("1,2,0\n3,0\n", "bad.csv:2:3: found 2 fields, expected 3 (as on line 1)"),
        ("1,2,0\n3,x,1\n", "bad.csv:2:2: feature value \"x\" is not a number"),
        ("1,2,0\n\n3,,1\n", "bad.csv:3:2: empty feature value"),
        ("1,2,0\n3,4,\n", "bad.csv:2:3: the label is empty (label column index 2 (the last column, used when no label option is set); the column has 2 distinct values, e.g. \"0\", \"\"); fix the row, set the mlp option label_missing: drop to leave such rows out, or set the mlp option label to the class column's name or 0-based index"),
        ("1,nan,0\n3,4,1\n5,6,0\n", "bad.csv:1:2: feature value nan is not finite; replace it or drop the row"),
    ])
    func malformedCSVNamesFileLineAndColumn(contents: String, message: String) throws {
        #expect(try Self.loadError("bad.csv", contents) { _ = try CSVLoader.load(path: $0) } == message)
    }

    /// Writes `contents` to the file `name` in a fresh directory and loads it with `load`, which must throw a
    /// ``TrainerError``; returns its message with the directory's path and "/" cut from the front (the whole message
    /// when it does not start with them).
    static func loadError(_ name: String, _ contents: String, _ load: (String) throws -> Void) throws -> String {
        let directory = try TemporaryDirectory()
        let file = try directory.write(name, contents)
        let error = try #require(throws: TrainerError.self) { try load(file) }
        let prefix = directory.path + "/"
        return error.description.hasPrefix(prefix) ? String(error.description.dropFirst(prefix.count)) : error.description
    }

    @Test func csvLabelProblemsAreExplained() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("h.csv", "a,b,y\n1,2,0\n3,4,1\n")
        let missingName = try #require(throws: TrainerError.self) { try CSVLoader.load(path: file, label: .name("label")) }
        #expect(missingName.description.contains("no column named \"label\" in the header a,b,y"))
        let badIndex = try #require(throws: TrainerError.self) { try CSVLoader.load(path: file, label: .index(5)) }
        #expect(badIndex.description.contains("outside the 3 columns"))
        let missingFile = try #require(throws: TrainerError.self) { try CSVLoader.load(path: directory.path + "/absent.csv") }
        #expect(missingFile.description.contains("absent.csv: No such file or directory"))
        let oneClass = try directory.write("one.csv", "1,0\n2,0\n")
        let single = try #require(throws: TrainerError.self) { try CSVLoader.load(path: oneClass) }
        #expect(single.description.contains("at least 2 classes"))
    }

    static func idx(dimensions: [Int], data: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, 0x08, UInt8(dimensions.count)]
        for d in dimensions { bytes += [UInt8(d >> 24 & 255), UInt8(d >> 16 & 255), UInt8(d >> 8 & 255), UInt8(d & 255)] }
        return bytes + data
    }

    @Test func idxImagesAndLabelsLoadPlainAndGzipped() throws {
        let directory = try TemporaryDirectory()
        let pixels: [UInt8] = (0..<12).map { UInt8($0 * 20) }
        let images = try directory.write("train-images-idx3-ubyte", Self.idx(dimensions: [3, 2, 2], data: pixels))
        let labels = try directory.write("train-labels-idx1-ubyte", Self.idx(dimensions: [3], data: [7, 1, 7]))
        let plain = try IDXLoader.load(images: images, labels: labels)
        #expect(plain.featureCount == 4)
        #expect(plain.features == pixels.map { Float($0) })
        #expect(plain.classNames == ["1", "7"])
        #expect(plain.labels == [1, 0, 1])
        let gzDirectory = try TemporaryDirectory("gz")
        _ = try gzDirectory.gzip(gzDirectory.write("train-images-idx3-ubyte", Self.idx(dimensions: [3, 2, 2], data: pixels)))
        _ = try gzDirectory.gzip(gzDirectory.write("train-labels.idx1-ubyte", Self.idx(dimensions: [3], data: [7, 1, 7])))
        try FileManagerShim.remove(gzDirectory.path + "/train-images-idx3-ubyte")
        try FileManagerShim.remove(gzDirectory.path + "/train-labels.idx1-ubyte")
        #expect(try IDXLoader.loadMNIST(directory: gzDirectory.path) == plain)
    }

    @Test func malformedIDXFilesAreExplained() throws {
        let directory = try TemporaryDirectory()
        let labels = try directory.write("labels", Self.idx(dimensions: [2], data: [1, 2]))
        let badMagic = try directory.write("magic", [1, 0, 8, 1, 0, 0, 0, 0])
        let badType = try directory.write("type", [0, 0, 0x0D, 1, 0, 0, 0, 0])
        let truncated = try directory.write("short", Self.idx(dimensions: [2, 2, 2], data: [1, 2, 3]))
        let threeImages = try directory.write("three", Self.idx(dimensions: [3, 1, 1], data: [1, 2, 3]))
        let cases: [(String, String)] = [
            (badMagic, "bytes 0–1 are 1, 0; an IDX file starts with 0, 0"),
            (badType, "only 0x08 (unsigned byte) is supported"),
            (truncated, "header dimensions [2, 2, 2] need 8 data bytes after byte 16, the file has 3 (truncated?)"),
            (threeImages, "holds 3 images but"),
        ]
        for (images, message) in cases {
            let error = try #require(throws: TrainerError.self) { try IDXLoader.load(images: images, labels: labels) }
            #expect(error.description.contains(message), "\(error)")
        }
        let missing = try #require(throws: TrainerError.self) { try IDXLoader.loadMNIST(directory: directory.path) }
        #expect(missing.description.contains("no MNIST file found; tried"))
        let corruptGzip = try directory.write("corrupt.gz", [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3])
        let gzipError = try #require(throws: TrainerError.self) { try IDXLoader.load(images: corruptGzip, labels: labels) }
        #expect(gzipError.description.contains("corrupt.gz"))
    }

    @Test func libsvmSparseRowsBecomeDense() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("data.svm", "+1 1:0.5 3:2 # comment\n-1 2:1\n\n+1\t3:-4\n")
        let data = try LibSVMLoader.load(path: file)
        #expect(data.featureCount == 3)
        #expect(data.features == [0.5, 0, 2, 0, 1, 0, 0, 0, -4])
        #expect(data.classNames == ["-1", "1"])  // by value: +1 is the class 1
        #expect(data.labels == [1, 0, 1])
        #expect(try LibSVMLoader.load(path: file, featureCount: 5).featureCount == 5)
    }

    @Test(arguments: [
        ("1 1:2\n0 3\n", "bad.svm:2:2: \"3\" is not index:value"),
        ("1 1:2\n0 0:1\n", "bad.svm:2:2: index in \"0:1\" must be a positive integer (LibSVM indices start at 1)"),
        ("1 1:2 2:x\n0 1:1\n", "bad.svm:1:3: value in \"2:x\" is not a finite number"),
        ("1 1:2 9:1\n0 1:1\n", "bad.svm:1:3: index 9 exceeds the declared feature count 4"),
    ])
    func malformedLibSVMNamesFileLineAndColumn(contents: String, message: String) throws {
        #expect(try Self.loadError("bad.svm", contents) { _ = try LibSVMLoader.load(path: $0, featureCount: 4) } == message)
    }

    @Test func bundledDigitsHaveTheDocumentedShape() {
        let digits = BundledDatasets.digits
        #expect(digits.count == 1797)
        #expect(digits.featureCount == 64)
        #expect(digits.classNames == (0...9).map(String.init))
        #expect(digits.features.allSatisfy { $0 >= 0 && $0 <= 16 && $0 == $0.rounded() })
        #expect(Array(digits.features.prefix(8)) == [0, 0, 5, 13, 9, 1, 0, 0])
        #expect(digits.labels.first == 0)
        let perClass = (0..<10).map { label in digits.labels.filter { $0 == label }.count }
        #expect(perClass == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    }

    @Test func stratifiedSplitKeepsClassProportionsAndStandardizesOnTrainingOnly() throws {
        let split = try DatasetSplit(stratifying: BundledDatasets.digits, validationFraction: 0.2, seed: 1)
        #expect(split.training.count + split.validation.count == 1797)
        for label in Int32(0)..<10 {
            let total = BundledDatasets.digits.labels.filter { $0 == label }.count
            let held = split.validation.labels.filter { $0 == label }.count
            #expect(held == Int((0.2 * Double(total)).rounded()))
        }
        let again = try DatasetSplit(stratifying: BundledDatasets.digits, validationFraction: 0.2, seed: 1)
        let other = try DatasetSplit(stratifying: BundledDatasets.digits, validationFraction: 0.2, seed: 2)
        #expect(again == split)
        #expect(other != split)
        let standardized = split.standardized()
        let standardizer = Standardizer(fitting: split.training)
        #expect(standardized.training == standardizer.apply(to: split.training))
        #expect(standardized.validation == standardizer.apply(to: split.validation))
        // Training columns have mean ≈ 0; a constant column (pixel 0 is always 0) stays finite.
        let width = 64
        for column in [0, 10, 37] {
            let values = stride(from: column, to: standardized.training.features.count, by: width).map { Double(standardized.training.features[$0]) }
            #expect(abs(values.reduce(0, +) / Double(values.count)) < 1e-4)
            #expect(values.allSatisfy { $0.isFinite })
        }
        let error = try #require(throws: TrainerError.self) {
            try DatasetSplit(stratifying: BundledDatasets.digits, validationFraction: 1.5, seed: 1)
        }
        #expect(error.description.contains("validation_fraction must be in (0, 1), got 1.5"))
    }
}
