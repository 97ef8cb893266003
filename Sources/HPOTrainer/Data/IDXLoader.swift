#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads MNIST-style IDX files (unsigned-byte images and labels), plain or gzip-compressed.
///
/// An IDX file starts with two zero bytes, a type byte (0x08 = unsigned byte, the only type
/// accepted), the number of dimensions, then each dimension as a big-endian 32-bit integer,
/// then the data. Images are `count × rows × columns` (flattened to `rows·columns` features,
/// pixel values 0…255 as floats); labels are `count` bytes.
public enum IDXLoader {
    /// Loads an image file and its label file.
    ///
    /// - Throws: `TrainerError.unreadableFile` for a bad header (with the byte offset), a size
    ///   mismatch, or image and label files with different counts.
    public static func load(images imagesPath: String, labels labelsPath: String) throws(TrainerError) -> Dataset {
        let images = try parse(DataFile.contents(of: imagesPath), path: imagesPath)
        let labels = try parse(DataFile.contents(of: labelsPath), path: labelsPath)
        guard images.dimensions.count >= 2 else {
            throw .unreadableFile(path: imagesPath, reason: "an image file needs ≥ 2 dimensions (count, pixels…), the header has \(images.dimensions)")
        }
        guard labels.dimensions.count == 1 else {
            throw .unreadableFile(path: labelsPath, reason: "a label file has 1 dimension, the header has \(labels.dimensions)")
        }
        guard images.dimensions[0] == labels.dimensions[0] else {
            throw .unusableData("\(imagesPath) holds \(images.dimensions[0]) images but \(labelsPath) holds \(labels.dimensions[0]) labels; pair the matching files")
        }
        let featureCount = images.dimensions.dropFirst().reduce(1, *)
        // Labels are bytes: the "line" in a message is the 1-based item number.
        let classifier = LabelClassifier(
            source: LabelColumnSource(
                path: labelsPath, index: 0, name: nil, choice: "the IDX label file",
                remedy: "pair the image file with its own label file"),
            fieldColumn: 1, missing: .error)
        let classes = try classifier.classify(labels.data.enumerated().map { .init(line: $0.offset + 1, text: String($0.element)) })
        return try Dataset(features: images.data.map { Float($0) }, labels: classes.labels, featureCount: featureCount, classNames: classes.names, labelSource: classifier.source)
    }

    /// Loads the MNIST training files from `directory`: `train-images-idx3-ubyte` and
    /// `train-labels-idx1-ubyte` (each also found with a `.gz` suffix or `.` instead of the last `-`).
    ///
    /// - Throws: `TrainerError.unreadableFile` listing the names tried when a file is missing.
    public static func loadMNIST(directory: String, prefix: String = "train") throws(TrainerError) -> Dataset {
        let images = try find(in: directory, stems: ["\(prefix)-images-idx3-ubyte", "\(prefix)-images.idx3-ubyte"])
        let labels = try find(in: directory, stems: ["\(prefix)-labels-idx1-ubyte", "\(prefix)-labels.idx1-ubyte"])
        return try load(images: images, labels: labels)
    }

    private static func find(in directory: String, stems: [String]) throws(TrainerError) -> String {
        let candidates = stems.flatMap { ["\(directory)/\($0)", "\(directory)/\($0).gz"] }
        for candidate in candidates where access(candidate, R_OK) == 0 { return candidate }
        throw .unreadableFile(path: directory, reason: "no MNIST file found; tried \(candidates.joined(separator: ", "))")
    }

    /// The dimensions and data bytes of one IDX file.
    static func parse(_ bytes: [UInt8], path: String) throws(TrainerError) -> (dimensions: [Int], data: ArraySlice<UInt8>) {
        guard bytes.count >= 4 else {
            throw .unreadableFile(path: path, reason: "file is \(bytes.count) bytes; an IDX header needs at least 4")
        }
        guard bytes[0] == 0, bytes[1] == 0 else {
            throw .unreadableFile(path: path, reason: "bytes 0–1 are \(bytes[0]), \(bytes[1]); an IDX file starts with 0, 0 (is this an IDX file?)")
        }
        guard bytes[2] == 0x08 else {
            throw .unreadableFile(path: path, reason: "byte 2 (data type) is 0x\(String(bytes[2], radix: 16)); only 0x08 (unsigned byte) is supported")
        }
        let dimensionCount = Int(bytes[3])
        let headerSize = 4 + 4 * dimensionCount
        guard dimensionCount >= 1, bytes.count >= headerSize else {
            throw .unreadableFile(path: path, reason: "byte 3 says \(dimensionCount) dimensions but the file has only \(bytes.count) bytes")
        }
        var dimensions: [Int] = []
        for d in 0..<dimensionCount {
            let offset = 4 + 4 * d
            let value = bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
            dimensions.append(value)
        }
        let expected = dimensions.reduce(1, *)
        guard bytes.count - headerSize == expected else {
            throw .unreadableFile(path: path, reason: "header dimensions \(dimensions) need \(expected) data bytes after byte \(headerSize), the file has \(bytes.count - headerSize) (truncated?)")
        }
        return (dimensions, bytes[headerSize...])
    }
}
