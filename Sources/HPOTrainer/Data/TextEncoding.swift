/// Checks the encoding of a text data file before it is parsed.
enum TextEncoding {
    /// `bytes` without a leading UTF-8 byte-order mark.
    ///
    /// - Throws: `TrainerError.unreadableFile` for a UTF-16 or UTF-32 byte-order mark: the loaders read UTF-8 only.
    static func utf8Body(_ bytes: [UInt8], source: String) throws(TrainerError) -> ArraySlice<UInt8> {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return bytes.dropFirst(3) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) {
            throw .unreadableFile(
                path: source,
                reason: "the file is UTF-16 or UTF-32 text (it starts with that byte-order mark), which is not supported; save it as UTF-8, e.g. iconv -f UTF-16 -t UTF-8 \(source) > converted.csv")
        }
        return bytes[...]
    }
}
