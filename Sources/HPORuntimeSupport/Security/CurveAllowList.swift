import Foundation

/// The clients a CURVE coordinator admits: public keys read from a directory of `.pub` files (`DIR/allowed`) or
/// from one file with a key per line. Re-read on SIGHUP (`hpo coordinator`), so adding a worker needs no restart.
public struct CurveAllowList: Sendable, Hashable {
    /// The directory or file the keys come from.
    public var path: String

    public init(path: String) {
        self.path = path
    }

    /// Reads the keys now.
    ///
    /// - Returns: the keys (possibly empty: then every client is refused).
    /// - Throws: `CurveKeyError` naming a file that is not a key, or a path that cannot be read.
    public func load() throws(CurveKeyError) -> Set<String> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CurveKeyError(
                .unreadable,
                "the allow-list \(path) does not exist; create keys with `hpo keygen DIR` (it writes DIR/allowed/) "
                    + "or point --allow at a directory of .pub files or a file with one public key per line")
        }
        if !isDirectory.boolValue {
            return try Self.keys(inListFile: path)
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw CurveKeyError(.unreadable, "cannot list the allow-list directory \(path): \(error.localizedDescription)")
        }
        var keys: Set<String> = []
        for name in names.sorted() where name.hasSuffix(".pub") && !name.hasPrefix(".") {
            keys.insert(try CurveKeyFile.read((path as NSString).appendingPathComponent(name)))
        }
        return keys
    }

    private static func keys(inListFile path: String) throws(CurveKeyError) -> Set<String> {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CurveKeyError(.unreadable, "cannot read the allow-list file \(path); check its permissions")
        }
        var keys: Set<String> = []
        for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("#") { continue }
            guard CurveKeyFile.isKey(text) else {
                throw CurveKeyError(
                .badKey,
                    "\(path):\(index + 1): expected a CURVE public key (40 Z85 characters), got \(text.utf8.count) characters")
            }
            keys.insert(text)
        }
        return keys
    }
}
