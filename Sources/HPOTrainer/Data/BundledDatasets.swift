/// Datasets compiled into the binary, so `hpo` works from any directory and when copied elsewhere.
public enum BundledDatasets {
    /// The UCI digits data: 1,797 examples of 64 features (8×8 pixel counts 0…16), 10 classes "0"…"9".
    ///
    /// Decoded once on first use (base64 → gzip → CSV, a few milliseconds) and shared afterwards.
    public static let digits: Dataset = {
        do {
            let compressed = try Base64.decode(digitsGzipBase64)
            let csv = try DataFile.gunzip(compressed, path: "<bundled digits>")
            return try CSVLoader.parse(csv, source: "<bundled digits>", label: .last)
        } catch {
            fatalError("the bundled digits data is corrupt (\(error)); this is a build defect, please report it")
        }
    }()
}

/// A minimal base64 decoder (RFC 4648, standard alphabet, `=` padding) for the embedded data.
enum Base64 {
    static func decode(_ text: StaticString) throws(TrainerError) -> [UInt8] {
        let source = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(character)] = UInt8(value)
        }
        var output: [UInt8] = []
        output.reserveCapacity(source.count / 4 * 3)
        var accumulator: UInt32 = 0
        var bits = 0
        for character in source where character != UInt8(ascii: "=") {
            let value = table[Int(character)]
            guard value != 0xFF else {
                throw .unreadableFile(path: "<base64>", reason: "invalid base64 character \(character)")
            }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return output
    }
}
