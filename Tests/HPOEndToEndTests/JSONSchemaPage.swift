import Foundation

/// The field lists of docs/json.md, read from its tables: section title (`trial`, `hpo.session`, `status worker`, …)
/// to the keys its first column names.
enum JSONSchemaPage {
    static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/json.md").path

    /// The documented keys of each section.
    static func sections() throws -> [String: Set<String>] {
        var sections: [String: Set<String>] = [:]
        var current: String?
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            if line.hasPrefix("#") {
                current = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
            } else if let current, line.hasPrefix("| `") {
                let key = line.dropFirst(3).prefix { $0 != "`" }
                sections[current, default: []].insert(String(key))
            }
        }
        return sections
    }

    /// The keys of `section`, or an empty set when the page lacks it.
    static func keys(_ section: String) throws -> Set<String> {
        try sections()[section] ?? []
    }

    /// `text` parsed as one JSON object.
    static func object(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw CocoaError(.propertyListReadCorrupt, userInfo: [NSDebugDescriptionErrorKey: "not a JSON object: \(text)"])
        }
        return object
    }
}
